import { listQueries, type Query } from '@fleet/api'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import type { ColumnDef } from '@tanstack/react-table'
import { Link, useSearchParams } from 'react-router'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { teamQuery } from '../../app/team.js'
import { DataTable } from '../../components/DataTable.js'
import { SearchForm } from '../../components/SearchForm.js'
import { Button, Empty, ErrorNotice, Loading } from '../../components/ui.js'
import { timeAgo } from '../../lib/format.js'
import { intervalText, loggingText, platformText } from '../../lib/query-form.js'
import {
  parseQueryListParams,
  QUERIES_PER_PAGE,
  QUERY_ORDER_KEYS,
  queryListRequest,
  toQueryListParams,
  type QueryListState,
} from '../../lib/query-list-params.js'
import { canWrite } from '../../lib/roles.js'
import { DeleteQueryButton } from './DeleteQueryButton.js'
import hostStyles from '../hosts/hosts.module.css'
import styles from './queries.module.css'

function columns(
  state: QueryListState,
  teamName: (id: number | null) => string,
  mayDelete: (query: Query) => boolean,
): ColumnDef<Query>[] {
  const team = teamQuery(state.teamId)
  const list: ColumnDef<Query>[] = [
    {
      id: 'name',
      accessorFn: (q) => q.name,
      header: 'Name',
      cell: ({ row }) => (
        <div className={styles.nameCell}>
          <Link to={`/queries/${row.original.id}${team}`}>{row.original.name}</Link>
          {row.original.description ? <span>{row.original.description}</span> : null}
        </div>
      ),
    },
    {
      id: 'interval',
      accessorFn: (q) => intervalText(q.interval),
      header: 'Frequency',
    },
    {
      id: 'platform',
      accessorFn: (q) => platformText(q.platform),
      header: 'Platforms',
      enableSorting: false,
    },
    {
      id: 'logging',
      accessorFn: (q) => loggingText(q.logging),
      header: 'Logging',
      enableSorting: false,
    },
    {
      id: 'author',
      accessorFn: (q) => q.author_name || q.author_email || 'Unknown',
      header: 'Author',
      enableSorting: false,
    },
    { id: 'updated_at', accessorFn: (q) => timeAgo(q.updated_at), header: 'Last modified' },
  ]
  if (state.teamId !== undefined) {
    list.splice(1, 0, {
      id: 'team',
      accessorFn: (q) => teamName(q.team_id),
      header: 'Team',
      enableSorting: false,
    })
  }
  list.push({
    id: 'actions',
    header: () => <span className="visually-hidden">Actions</span>,
    enableSorting: false,
    cell: ({ row }) =>
      mayDelete(row.original) ? <DeleteQueryButton query={row.original} compact /> : null,
  })
  return list
}

/** `/queries/manage`: saved queries in scope, searched, sorted and paged by the server. */
export function ManageQueriesPage() {
  const me = useMe()
  const [params, setParams] = useSearchParams()
  const state = parseQueryListParams(params)
  const set = (next: QueryListState) => setParams(toQueryListParams(next))
  const request = queryListRequest(state)
  const queries = useQuery({
    queryKey: ['queries', request],
    queryFn: () => client.call(listQueries, { query: request }),
    placeholderData: keepPreviousData,
  })
  const teamName = (id: number | null) =>
    id === null ? 'Global' : (me.available_teams.find((t) => t.id === id)?.name ?? `Team ${id}`)
  // A team user without a team picked can still add to the teams they write.
  const mayAdd =
    canWrite(me.user, state.teamId ?? null) ||
    (state.teamId === undefined && me.user.teams.some((t) => canWrite(me.user, t.id)))
  const mayDelete = (query: Query) => canWrite(me.user, query.team_id)
  const data = queries.data
  const first = state.page * QUERIES_PER_PAGE
  return (
    <>
      <div className={hostStyles.titleRow}>
        <h1>Queries</h1>
        {mayAdd ? (
          <Link
            className={`${styles.linkButton} ${styles.push}`}
            to={`/queries/new${teamQuery(state.teamId)}`}
          >
            Add query
          </Link>
        ) : null}
      </div>
      <SearchForm
        key={state.query}
        id="query-search"
        label="Search queries"
        placeholder="Query name"
        initial={state.query}
        className={`${hostStyles.search} ${styles.search}`}
        onSearch={(query) => set({ ...state, query, page: 0 })}
      />
      {queries.isPending ? <Loading what="queries" /> : null}
      {queries.isError ? (
        <ErrorNotice error={queries.error} onRetry={() => void queries.refetch()} />
      ) : null}
      {data?.queries.length === 0 ? (
        <Empty>{state.query ? 'No queries match your search.' : 'No saved queries yet.'}</Empty>
      ) : null}
      {data && data.queries.length > 0 ? (
        <>
          <DataTable
            caption="Saved queries"
            columns={columns(state, teamName, mayDelete)}
            rows={data.queries}
            rowKey={(q) => String(q.id)}
            sort={{ key: state.orderKey, direction: state.direction }}
            onSort={(sort) => {
              const key = QUERY_ORDER_KEYS.find((k) => k === sort.key)
              if (key) {
                set({ ...state, orderKey: key, direction: sort.direction, page: 0 })
              }
            }}
          />
          <div className={hostStyles.pager}>
            <span role="status">
              {`${first + 1}–${first + data.queries.length} of ${data.count} queries`}
            </span>
            <div className={hostStyles.pagerButtons}>
              <Button
                variant="secondary"
                disabled={state.page === 0}
                onClick={() => set({ ...state, page: state.page - 1 })}
              >
                Previous
              </Button>
              <Button
                variant="secondary"
                disabled={!data.meta.has_next_results}
                onClick={() => set({ ...state, page: state.page + 1 })}
              >
                Next
              </Button>
            </div>
          </div>
        </>
      ) : null}
    </>
  )
}
