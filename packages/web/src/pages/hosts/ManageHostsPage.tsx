import { countHosts, listHosts, listLabels, type HostSummaryJson } from '@fleet/api'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import type { ColumnDef } from '@tanstack/react-table'
import { useState, type FormEvent } from 'react'
import { Link, useSearchParams } from 'react-router'
import { client } from '../../app/client.js'
import { DataTable } from '../../components/DataTable.js'
import {
  Badge,
  Button,
  Empty,
  ErrorNotice,
  Field,
  Loading,
  TextInput,
} from '../../components/ui.js'
import { timeAgo } from '../../lib/format.js'
import {
  HOST_STATUSES,
  hostListQuery,
  parseHostListParams,
  PER_PAGE_CHOICES,
  toHostListParams,
  withFilter,
  type HostListState,
} from '../../lib/host-list-params.js'
import styles from './hosts.module.css'

type Host = HostSummaryJson

/** Columns; each sortable one's id is the server's `order_key`. */
const COLUMNS: ColumnDef<Host>[] = [
  {
    id: 'display_name',
    accessorFn: (h) => h.display_name,
    header: 'Host',
    cell: ({ row }) => <Link to={`/hosts/${row.original.id}`}>{row.original.display_name}</Link>,
  },
  {
    id: 'status',
    accessorFn: (h) => h.status,
    header: 'Status',
    cell: ({ row }) => <Badge tone={row.original.status}>{row.original.status}</Badge>,
  },
  { id: 'platform', accessorFn: (h) => h.platform, header: 'Platform' },
  { id: 'os_version', accessorFn: (h) => h.os_version, header: 'OS' },
  { id: 'team_name', accessorFn: (h) => h.team_name ?? 'No team', header: 'Team' },
  {
    id: 'issues',
    accessorFn: (h) => h.issues.failing_policies_count,
    header: 'Failing policies',
    enableSorting: false,
  },
  { id: 'primary_ip', accessorFn: (h) => h.primary_ip, header: 'IP address' },
  { id: 'seen_time', accessorFn: (h) => timeAgo(h.seen_time), header: 'Last seen' },
]

function Filters({ state, set }: { state: HostListState; set: (s: HostListState) => void }) {
  const [search, setSearch] = useState(state.query)
  const labels = useQuery({
    queryKey: ['labels'],
    queryFn: () => client.call(listLabels),
    staleTime: 60_000,
  })
  const all = labels.data?.labels ?? []
  const onSearch = (event: FormEvent) => {
    event.preventDefault()
    set(withFilter(state, { query: search.trim() }))
  }
  return (
    <div className={styles.filters}>
      <form role="search" className={styles.search} onSubmit={onSearch}>
        <TextInput
          id="host-search"
          label="Search hosts"
          type="search"
          placeholder="Hostname, UUID, serial or IP"
          value={search}
          onChange={setSearch}
        />
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      <Field id="host-status" label="Status">
        {(id) => (
          <select
            id={id}
            value={state.status}
            onChange={(e) =>
              set(withFilter(state, { status: e.target.value as HostListState['status'] }))
            }
          >
            <option value="">All statuses</option>
            {HOST_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="host-label" label="Platform or label">
        {(id) => (
          <select
            id={id}
            value={state.labelId ?? ''}
            onChange={(e) =>
              set(withFilter(state, { labelId: Number(e.target.value) || undefined }))
            }
          >
            <option value="">All hosts</option>
            <optgroup label="Platforms">
              {all
                .filter((l) => l.label_type === 'builtin')
                .map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.display_text || l.name}
                  </option>
                ))}
            </optgroup>
            <optgroup label="Labels">
              {all
                .filter((l) => l.label_type === 'regular')
                .map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name}
                  </option>
                ))}
            </optgroup>
          </select>
        )}
      </Field>
    </div>
  )
}

function Pager({
  state,
  set,
  total,
}: {
  state: HostListState
  set: (s: HostListState) => void
  total: number | undefined
}) {
  const first = state.page * state.perPage
  const shownTo =
    total === undefined ? first + state.perPage : Math.min(total, first + state.perPage)
  const hasNext = total === undefined ? false : shownTo < total
  return (
    <div className={styles.pager}>
      <span role="status">
        {total === undefined ? '' : `${total === 0 ? 0 : first + 1}–${shownTo} of ${total} hosts`}
      </span>
      <Field id="host-per-page" label="Hosts per page">
        {(id) => (
          <select
            id={id}
            value={state.perPage}
            onChange={(e) => set(withFilter(state, { perPage: Number(e.target.value) }))}
          >
            {PER_PAGE_CHOICES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className={styles.pagerButtons}>
        <Button
          variant="secondary"
          disabled={state.page === 0}
          onClick={() => set(withFilter(state, { page: state.page - 1 }))}
        >
          Previous
        </Button>
        <Button
          variant="secondary"
          disabled={!hasNext}
          onClick={() => set(withFilter(state, { page: state.page + 1 }))}
        >
          Next
        </Button>
      </div>
    </div>
  )
}

/** `/hosts/manage`: search, filters, sorting and paging, all done by the server and in the URL. */
export function ManageHostsPage() {
  const [params, setParams] = useSearchParams()
  const state = parseHostListParams(params)
  const set = (next: HostListState) => setParams(toHostListParams(next))
  const query = hostListQuery(state)
  const hosts = useQuery({
    queryKey: ['hosts', query],
    queryFn: () => client.call(listHosts, { query }),
    placeholderData: keepPreviousData,
  })
  const { page: _page, per_page: _perPage, order_key: _k, order_direction: _d, ...filters } = query
  const count = useQuery({
    queryKey: ['hosts/count', filters],
    queryFn: () => client.call(countHosts, { query: filters }),
  })
  return (
    <>
      <h1>Hosts</h1>
      <Filters key={state.query} state={state} set={set} />
      {hosts.isPending ? <Loading what="hosts" /> : null}
      {hosts.isError ? (
        <ErrorNotice error={hosts.error} onRetry={() => void hosts.refetch()} />
      ) : null}
      {hosts.data && hosts.data.hosts.length === 0 ? (
        <Empty>No hosts match these filters.</Empty>
      ) : null}
      {hosts.data && hosts.data.hosts.length > 0 ? (
        <DataTable
          caption="Hosts"
          columns={COLUMNS}
          rows={hosts.data.hosts}
          rowKey={(host) => String(host.id)}
          sort={{ key: state.orderKey, direction: state.orderDirection }}
          onSort={(sort) =>
            set(withFilter(state, { orderKey: sort.key, orderDirection: sort.direction }))
          }
        />
      ) : null}
      <Pager state={state} set={set} total={count.data?.count} />
    </>
  )
}
