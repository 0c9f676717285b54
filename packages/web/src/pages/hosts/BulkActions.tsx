import { deleteHosts, transferHosts, transferHostsByFilter } from '@fleet/api'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { client } from '../../app/client.js'
import { Dialog } from '../../components/Dialog.js'
import { Button, ErrorNotice } from '../../components/ui.js'
import { hostFilterQuery, type HostListState } from '../../lib/host-list-params.js'
import styles from './hosts.module.css'
import { TeamSelect, useTeams } from './TeamSelect.js'

/** What the bulk actions apply to: the checked hosts, or every host matching the filters. */
export type BulkTarget = { kind: 'ids'; ids: number[] } | { kind: 'filters'; count: number }

function targetCount(target: BulkTarget): number {
  return target.kind === 'ids' ? target.ids.length : target.count
}

function hostsWord(n: number): string {
  return `${n} host${n === 1 ? '' : 's'}`
}

function useDone(onDone: (message: string) => void) {
  const queryClient = useQueryClient()
  return async (message: string) => {
    await queryClient.invalidateQueries({ queryKey: ['hosts'] })
    await queryClient.invalidateQueries({ queryKey: ['hosts/count'] })
    onDone(message)
  }
}

function BulkTransfer(props: {
  target: BulkTarget
  state: HostListState
  onDone: (message: string) => void
}) {
  const { target, state } = props
  const done = useDone(props.onDone)
  const [teamId, setTeamId] = useState('')
  const teams = useTeams()
  const transfer = useMutation({
    mutationFn: async () => {
      const team = teamId === '' ? null : Number(teamId)
      if (target.kind === 'ids') {
        await client.call(transferHosts, { body: { team_id: team, hosts: target.ids } })
      } else {
        const filters = hostFilterQuery(state)
        await client.call(transferHostsByFilter, { body: { team_id: team, filters } })
      }
      const name = (teams.data?.teams ?? []).find((t) => String(t.id) === teamId)?.name
      return `Transferred ${hostsWord(targetCount(target))} to ${name ?? 'no team'}.`
    },
    onSuccess: done,
  })
  return (
    <>
      <TeamSelect id="bulk-team" label="Transfer to team" value={teamId} onChange={setTeamId} />
      <Button variant="secondary" disabled={transfer.isPending} onClick={() => transfer.mutate()}>
        Transfer
      </Button>
      {transfer.isError ? <ErrorNotice error={transfer.error} /> : null}
    </>
  )
}

function BulkDelete(props: {
  target: BulkTarget
  state: HostListState
  onDone: (message: string) => void
}) {
  const { target, state } = props
  const done = useDone(props.onDone)
  const [confirming, setConfirming] = useState(false)
  const count = hostsWord(targetCount(target))
  const remove = useMutation({
    mutationFn: async () => {
      const body = target.kind === 'ids' ? { ids: target.ids } : { filters: hostFilterQuery(state) }
      await client.call(deleteHosts, { body })
      return `Deleted ${count}.`
    },
    onSuccess: async (message) => {
      setConfirming(false)
      await done(message)
    },
  })
  return (
    <>
      <Button variant="danger" onClick={() => setConfirming(true)}>
        Delete
      </Button>
      {confirming ? (
        <Dialog
          title={`Delete ${count}?`}
          onClose={() => setConfirming(false)}
          actions={
            <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
              {remove.isPending ? 'Deleting…' : `Delete ${count}`}
            </Button>
          }
        >
          <p>
            Their data leaves Fleet. A deleted host that still runs fleetd enrolls again on its next
            check-in.
          </p>
          {remove.isError ? <ErrorNotice error={remove.error} /> : null}
        </Dialog>
      ) : null}
    </>
  )
}

/**
 * The bar over the table while hosts are selected: how many, "select all matching", transfer
 * (global admins and maintainers) and delete.
 */
export function BulkActions({
  target,
  total,
  state,
  canTransfer,
  selectAllMatching,
  clear,
  onDone,
}: {
  target: BulkTarget
  total: number | undefined
  state: HostListState
  canTransfer: boolean
  selectAllMatching: () => void
  clear: () => void
  onDone: (message: string) => void
}) {
  const n = targetCount(target)
  return (
    <div className={styles.bulk} role="region" aria-label="Selected hosts">
      <span>
        {target.kind === 'filters'
          ? `All ${hostsWord(n)} matching these filters are selected.`
          : `${hostsWord(n)} selected.`}
      </span>
      {target.kind === 'ids' && total !== undefined && total > n ? (
        <Button variant="secondary" onClick={selectAllMatching}>
          Select all {hostsWord(total)}
        </Button>
      ) : null}
      <Button variant="secondary" onClick={clear}>
        Clear selection
      </Button>
      {canTransfer ? <BulkTransfer target={target} state={state} onDone={onDone} /> : null}
      <BulkDelete target={target} state={state} onDone={onDone} />
    </div>
  )
}
