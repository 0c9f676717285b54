import { deleteHost, listTeams, transferHosts, type HostDetailJson } from '@fleet/api'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useNavigate } from 'react-router'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { Button, ErrorNotice, Field } from '../../components/ui.js'
import { canTransfer, canWrite } from '../../lib/roles.js'
import styles from './hosts.module.css'

function Transfer({ host }: { host: HostDetailJson }) {
  const queryClient = useQueryClient()
  const [teamId, setTeamId] = useState(host.team_id === null ? '' : String(host.team_id))
  const teams = useQuery({ queryKey: ['teams'], queryFn: () => client.call(listTeams) })
  const transfer = useMutation({
    mutationFn: () =>
      client.call(transferHosts, {
        body: { team_id: teamId === '' ? null : Number(teamId), hosts: [host.id] },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['host', host.id] }),
  })
  return (
    <>
      <Field id="transfer-team" label="Transfer to team">
        {(id) => (
          <select id={id} value={teamId} onChange={(e) => setTeamId(e.target.value)}>
            <option value="">No team</option>
            {(teams.data?.teams ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        )}
      </Field>
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
