import { getHostQueryReport, getQueryReport } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { client } from '../app/client.js'
import { timeAgo } from '../lib/format.js'
import { Empty, ErrorNotice, Loading, Notice } from './ui.js'
import tableStyles from './table.module.css'

/** One stored result row: the host it came from (absent in a one-host report) and its columns. */
export interface ReportRow {
  host_id?: number
  host_name?: string
  last_fetched?: string | null
  columns: Record<string, unknown>
}

/** Every column name of the rows, in the order they first appear. */
export function reportColumns(rows: readonly ReportRow[]): string[] {
  const names = new Set<string>()
  for (const row of rows) {
    for (const name of Object.keys(row.columns)) {
      names.add(name)
    }
  }
  return [...names]
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) {
    return ''
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/**
 * A query report as a table: the host (linked to its page) when the rows carry one, then every
 * result column, then when the host last sent it. Used for a query's report and a host's.
 */
export function ReportTable({ caption, rows }: { caption: string; rows: readonly ReportRow[] }) {
  const columns = reportColumns(rows)
  const withHost = rows.some((row) => row.host_id !== undefined)
  return (
    <div className={tableStyles.scroller}>
      <table className={tableStyles.table}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {withHost ? <th scope="col">Host</th> : null}
            {columns.map((name) => (
              <th scope="col" key={name}>
                {name}
              </th>
            ))}
            {withHost ? <th scope="col">Last fetched</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              {withHost ? (
                <td>
                  <Link to={`/hosts/${row.host_id}`}>{row.host_name}</Link>
                </td>
              ) : null}
              {columns.map((name) => (
                <td key={name}>{cellText(row.columns[name])}</td>
              ))}
              {withHost ? <td>{row.last_fetched ? timeAgo(row.last_fetched) : ''}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

const CLIPPED =
  'This report holds the first results the server kept; newer ones were not stored (report cap reached).'

/** `GET /queries/:id/report` as a table with loading, empty and error states. */
export function QueryReport({ queryId, emptyText }: { queryId: number; emptyText: string }) {
  const report = useQuery({
    queryKey: ['query-report', queryId],
    queryFn: () => client.call(getQueryReport, { params: { id: queryId } }),
  })
  if (report.isPending) {
    return <Loading what="the report" />
  }
  if (report.isError) {
    return <ErrorNotice error={report.error} onRetry={() => void report.refetch()} />
  }
  if (report.data.results.length === 0) {
    return <Empty>{emptyText}</Empty>
  }
  return (
    <>
      {report.data.report_clipped ? <Notice>{CLIPPED}</Notice> : null}
      <ReportTable caption="Query report" rows={report.data.results} />
    </>
  )
}

/** One host's report of one query (`GET /hosts/:id/queries/:query_id`), for the host page. */
export function HostQueryReport({ hostId, queryId }: { hostId: number; queryId: number }) {
  const report = useQuery({
    queryKey: ['host-query-report', hostId, queryId],
    queryFn: () => client.call(getHostQueryReport, { params: { id: hostId, query_id: queryId } }),
  })
  if (report.isPending) {
    return <Loading what="the report" />
  }
  if (report.isError) {
    return <ErrorNotice error={report.error} onRetry={() => void report.refetch()} />
  }
  if (report.data.results.length === 0) {
    return <Empty>This host has sent no results for this query yet.</Empty>
  }
  return (
    <>
      {report.data.report_clipped ? <Notice>{CLIPPED}</Notice> : null}
      <ReportTable caption={`Report of ${report.data.host_name}`} rows={report.data.results} />
    </>
  )
}
