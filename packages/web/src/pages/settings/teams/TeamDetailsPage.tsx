import { deleteTeam, getTeam, modifyTeam, type Team } from '@fleet/api'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Link, Navigate, useNavigate, useParams } from 'react-router'
import { useMe } from '../../../app/auth.js'
import { client } from '../../../app/client.js'
import { useTeamId } from '../../../app/team.js'
import { ConfirmButton } from '../../../components/ConfirmButton.js'
import { Button, Card, ErrorNotice, Loading, TextInput } from '../../../components/ui.js'
import { canCreateTeams, canEditTeam, canManageEnrollSecrets } from '../../../lib/admin-roles.js'
import { EnrollSecretsCard } from '../../enroll-secrets/EnrollSecretsCard.js'
import { teamUsersPath } from './team-paths.js'
import { TeamMembers } from './TeamMembers.js'
import hostStyles from '../../hosts/hosts.module.css'
import styles from '../../admin.module.css'

function RenameTeam({ team, onDone }: { team: Team; onDone: () => void }) {
  const queryClient = useQueryClient()
  const [name, setName] = useState(team.name)
  const rename = useMutation({
    mutationFn: () => client.call(modifyTeam, { params: { id: team.id }, body: { name } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['team', team.id] })
      await queryClient.invalidateQueries({ queryKey: ['teams'] })
      await queryClient.invalidateQueries({ queryKey: ['me'] })
      onDone()
    },
  })
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    rename.mutate()
  }
  return (
    <Card title="Rename team">
      {rename.isError ? <ErrorNotice error={rename.error} /> : null}
      <form className={styles.inline} onSubmit={onSubmit}>
        <TextInput id="team-rename" label="Team name" required value={name} onChange={setName} />
        <Button type="submit" disabled={rename.isPending}>
          Save
        </Button>
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </form>
    </Card>
  )
}

function TeamDetails({ team }: { team: Team }) {
  const me = useMe()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const [renaming, setRenaming] = useState(false)
  const remove = useMutation({
    mutationFn: () => client.call(deleteTeam, { params: { id: team.id } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['teams'] })
      await queryClient.invalidateQueries({ queryKey: ['me'] })
      await navigate('/settings/teams')
    },
  })
  const editor = canEditTeam(me.user, team.id)
  return (
    <>
      <p>
        <Link to="/settings/teams">All teams</Link>
      </p>
      <div className={hostStyles.titleRow}>
        <h1>{team.name}</h1>
        <div className={hostStyles.actions}>
          {editor && !renaming ? (
            <Button variant="secondary" onClick={() => setRenaming(true)}>
              Rename
            </Button>
          ) : null}
          {canCreateTeams(me.user) ? (
            <ConfirmButton
              label="Delete team"
              question={`Its ${team.host_count} hosts move to no team.`}
              busy={remove.isPending}
              onConfirm={() => remove.mutate()}
            />
          ) : null}
        </div>
      </div>
      {remove.isError ? <ErrorNotice error={remove.error} /> : null}
      {renaming ? <RenameTeam team={team} onDone={() => setRenaming(false)} /> : null}
      <p>
        {team.host_count} hosts · {team.user_count} users
      </p>
      <TeamMembers team={team} editable={editor} />
      {canManageEnrollSecrets(me.user, team.id) ? (
        <EnrollSecretsCard teamId={team.id} title="Team enroll secrets" />
      ) : null}
    </>
  )
}

/** `/settings/teams/users?team_id=N` (Fleet's team page): members, roles, enroll secrets. */
export function TeamDetailsPage() {
  const teamId = useTeamId()
  const team = useQuery({
    queryKey: ['team', teamId],
    queryFn: async () =>
      teamId === undefined
        ? undefined
        : (await client.call(getTeam, { params: { id: teamId } })).team,
    enabled: teamId !== undefined,
  })
  if (teamId === undefined) {
    return <Navigate to="/settings/teams" replace />
  }
  if (team.isPending) {
    return <Loading what="the team" />
  }
  if (team.isError) {
    return <ErrorNotice error={team.error} onRetry={() => void team.refetch()} />
  }
  return team.data ? <TeamDetails team={team.data} /> : null
}

/** `/settings/teams/:id/…` (older Fleet team URLs): the team's page at today's URL. */
export function TeamPathRedirect() {
  const { team_id: id } = useParams()
  const valid = id !== undefined && /^\d{1,9}$/.test(id) && id !== '0'
  return <Navigate to={valid ? teamUsersPath(Number(id)) : '/settings/teams'} replace />
}
