import { deleteHost, transferHosts, type HostDetailJson } from '@fleet/api'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useNavigate } from 'react-router'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { Button, ErrorNotice } from '../../components/ui.js'
import { canTransfer, canWrite } from '../../lib/roles.js'
import styles from './hosts.module.css'
import { TeamSelect } from './TeamSelect.js'

function Transfer({ host }: { host: HostDetailJson }) {
  const queryClient = useQueryClient()
  const [teamId, setTeamId] = useState(host.team_id === null ? '' : String(host.team_id))
  const transfer = useMutation({
    mutationFn: () =>
      client.call(transferHosts, {
        body: { team_id: teamId === '' ? null : Number(teamId), hosts: [host.id] },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['host', host.id] }),
  })
  return (
    <>
      <TeamSelect id="transfer-team" label="Transfer to team" value={teamId} onChange={setTeamId} />
      <Button
        variant="secondary"
        disabled={transfer.isPending || teamId === String(host.team_id ?? '')}
        onClick={() => transfer.mutate()}
      >
        Transfer
      </Button>
      {transfer.isError ? <ErrorNotice error={transfer.error} /> : null}
    </>
  )
}

function Delete({ host }: { host: HostDetailJson }) {
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const remove = useMutation({
    mutationFn: () => client.call(deleteHost, { params: { id: host.id } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['hosts'] })
      await navigate('/hosts/manage', { replace: true })
    },
  })
  const onDelete = () => {
    if (window.confirm(`Delete ${host.display_name}? It enrolls again on its next check-in.`)) {
      remove.mutate()
    }
  }
  return (
    <>
      <Button variant="danger" disabled={remove.isPending} onClick={onDelete}>
        Delete
      </Button>
      {remove.isError ? <ErrorNotice error={remove.error} /> : null}
    </>
  )
}

/** Transfer and delete, shown only to users whose role allows them on this host's team. */
export function HostActions({ host }: { host: HostDetailJson }) {
  const me = useMe()
  if (!canWrite(me.user, host.team_id)) {
    return null
  }
  return (
    <div className={styles.actions}>
      {canTransfer(me.user) ? <Transfer host={host} /> : null}
      <Delete host={host} />
    </div>
  )
}
