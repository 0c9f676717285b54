import { getHostQueryReport, listQueries, type HostDetailJson, type Query } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { client } from '../../app/client.js'
import { Empty, ErrorNotice, Loading } from '../../components/ui.js'
import { timeAgo } from '../../lib/format.js'
import tableStyles from '../../components/table.module.css'
import styles from './hosts.module.css'

/** Rows shown of one report; the rest is in the query's own report page. */
const SHOWN_ROWS = 50

function Report({ hostId, query }: { hostId: number; query: Query }) {
  const report = useQuery({
    queryKey: ['host-query-report', hostId, query.id],
    queryFn: () => client.call(getHostQueryReport, { params: { id: hostId, query_id: query.id } }),
  })
  if (report.isPending) {
    return <Loading what="the report" />
  }
  if (report.isError) {
    return <ErrorNotice error={report.error} onRetry={() => void report.refetch()} />
  }
  const { results, last_fetched: fetched } = report.data
  if (results.length === 0) {
    return (
      <Empty>{fetched ? 'The last run returned no rows.' : 'No results from this host yet.'}</Empty>
    )
  }
  const columns = Object.keys(results[0]?.columns ?? {})
  return (
    <>
      <p className={styles.muted}>
        {results.length} row{results.length === 1 ? '' : 's'}
        {fetched ? `, fetched ${timeAgo(fetched)}` : ''}
        {report.data.report_clipped ? ' (clipped)' : ''}
      </p>
      <div className={tableStyles.scroller}>
        <table className={tableStyles.table}>
          <caption className="visually-hidden">{`${query.name} on this host`}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {results.slice(0, SHOWN_ROWS).map((row, i) => (
              <tr key={i}>
                {columns.map((c) => (
                  <td key={c}>{String(row.columns[c] ?? '')}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

/** The host's results of its scheduled queries that keep a report, one query opened at a time. */
export function HostQueryReports({ host }: { host: HostDetailJson }) {
  const [open, setOpen] = useState<number | undefined>()
  const queries = useQuery({
    queryKey: ['queries', 'for-host', host.team_id],
    queryFn: () =>
      client.call(listQueries, {
        query:
          host.team_id === null
            ? { per_page: 100 }
            : { team_id: host.team_id, merge_inherited: 'true', per_page: 100 },
      }),
  })
  if (queries.isPending) {
    return <Loading what="queries" />
  }
  if (queries.isError) {
    return <ErrorNotice error={queries.error} onRetry={() => void queries.refetch()} />
  }
  const reported = queries.data.queries.filter((q) => q.interval > 0 && !q.discard_data)
  if (reported.length === 0) {
    return <Empty>No scheduled query keeps a report for this host.</Empty>
  }
  return (
    <ul className={styles.reports}>
      {reported.map((q) => (
        <li key={q.id}>
          <details
            open={open === q.id}
            onToggle={(e) => {
              const isOpen = e.currentTarget.open
              setOpen((current) => (isOpen ? q.id : current === q.id ? undefined : current))
            }}
          >
            <summary>{q.name}</summary>
            {open === q.id ? <Report hostId={host.id} query={q} /> : null}
          </details>
        </li>
      ))}
    </ul>
  )
}
