import { countHosts, listHosts } from '@fleet/api'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useSearchParams } from 'react-router'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { DataTable } from '../../components/DataTable.js'
import { Button, Empty, ErrorNotice, Loading, Notice } from '../../components/ui.js'
import {
  hostFilterQuery,
  hostListQuery,
  parseHostListParams,
  toHostListParams,
  type HostListState,
} from '../../lib/host-list-params.js'
import { canManageHosts, canTransfer } from '../../lib/roles.js'
import { AddHostsDialog } from './AddHostsDialog.js'
import { BulkActions, type BulkTarget } from './BulkActions.js'
import { ColumnChooser, useShownColumns } from './ColumnChooser.js'
import { ExportButton } from './ExportButton.js'
import { HostFilters } from './HostFilters.js'
import { hostTableColumns, type HostSelection } from './host-table-columns.js'
import { Pager } from './Pager.js'
import styles from './hosts.module.css'

/** Checked hosts, or "every host matching the filters"; cleared whenever the list changes. */
function useSelection(listKey: string) {
  const [state, setState] = useState<{ key: string; ids: Set<number>; all: boolean }>({
    key: listKey,
    ids: new Set(),
    all: false,
  })
  const current =
    state.key === listKey ? state : { key: listKey, ids: new Set<number>(), all: false }
  const set = (ids: Set<number>, all = false) => setState({ key: listKey, ids, all })
  const selection: HostSelection = {
    selected: current.ids,
    toggle: (id) => {
      const ids = new Set(current.ids)
      if (!ids.delete(id)) {
        ids.add(id)
      }
      set(ids)
    },
    togglePage: (pageIds) => {
      const all = pageIds.every((id) => current.ids.has(id))
      set(all ? new Set() : new Set(pageIds))
    },
  }
  return {
    selection,
    allMatching: current.all,
    selectAllMatching: () => set(current.ids, true),
    clear: () => set(new Set()),
  }
}

/**
 * `/hosts/manage`: search, filters, sorting and paging done by the server and kept in the URL;
 * a column chooser, CSV export, bulk transfer and delete, and "Add hosts".
 */
export function ManageHostsPage() {
  const me = useMe()
  const [params, setParams] = useSearchParams()
  const state = parseHostListParams(params)
  const set = (next: HostListState) => setParams(toHostListParams(next))
  const query = hostListQuery(state)
  const filters = hostFilterQuery(state)
  const [shown, toggleColumn] = useShownColumns()
  const [adding, setAdding] = useState(false)
  const [message, setMessage] = useState<string | undefined>()
  const hosts = useQuery({
    queryKey: ['hosts', query],
    queryFn: () => client.call(listHosts, { query }),
    placeholderData: keepPreviousData,
  })
  const count = useQuery({
    queryKey: ['hosts/count', filters],
    queryFn: () => client.call(countHosts, { query: filters }),
  })
  const bulk = useSelection(JSON.stringify(query))
  const editable = canManageHosts(me.user, state.teamId)
  const total = count.data?.count
  const target: BulkTarget | undefined = bulk.allMatching
    ? { kind: 'filters', count: total ?? 0 }
    : bulk.selection.selected.size > 0
      ? { kind: 'ids', ids: [...bulk.selection.selected] }
      : undefined
  return (
    <>
      <div className={styles.toolbar}>
        <h1>Hosts</h1>
        <ColumnChooser shown={shown} toggle={toggleColumn} />
        <ExportButton state={state} shown={shown} />
        {editable ? <Button onClick={() => setAdding(true)}>Add hosts</Button> : null}
      </div>
      {adding ? (
        <AddHostsDialog initialTeamId={state.teamId} onClose={() => setAdding(false)} />
      ) : null}
      <HostFilters key={state.query} state={state} set={set} />
      {message ? <Notice>{message}</Notice> : null}
      {target ? (
        <BulkActions
          target={target}
          total={total}
          state={state}
          canTransfer={canTransfer(me.user)}
          selectAllMatching={bulk.selectAllMatching}
          clear={bulk.clear}
          onDone={(text) => {
            bulk.clear()
            setMessage(text)
          }}
        />
      ) : null}
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
          columns={hostTableColumns(shown, editable ? bulk.selection : undefined)}
          rows={hosts.data.hosts}
          rowKey={(host) => String(host.id)}
          sort={{ key: state.orderKey, direction: state.orderDirection }}
          onSort={(sort) =>
            set({ ...state, orderKey: sort.key, orderDirection: sort.direction, page: 0 })
          }
        />
      ) : null}
      <Pager state={state} set={set} total={total} />
    </>
  )
}
