import { deleteTeam, getTeam, modifyTeam, type Team } from '@fleet/api'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { Link, Navigate, useNavigate, useParams } from 'react-router'
import { useMe } from '../../../app/auth.js'
import { client } from '../../../app/client.js'
import { useInvalidate } from '../../../app/mutations.js'
import { useTeamId } from '../../../app/team.js'
import { ConfirmButton } from '../../../components/ConfirmButton.js'
import { PageTitle } from '../../../components/PageTitle.js'
import { QueryStatus } from '../../../components/QueryStatus.js'
import { Button, ErrorNotice } from '../../../components/ui.js'
import { canCreateTeams, canEditTeam, canManageEnrollSecrets } from '../../../lib/admin-roles.js'
import { EnrollSecretsCard } from '../../enroll-secrets/EnrollSecretsCard.js'
import { teamUsersPath } from './team-paths.js'
import { TeamMembers } from './TeamMembers.js'
import { TeamNameForm } from './TeamNameForm.js'

function TeamDetails({ team }: { team: Team }) {
  const me = useMe()
  const navigate = useNavigate()
  const invalidate = useInvalidate(['teams'], ['me'])
  const [renaming, setRenaming] = useState(false)
  const remove = useMutation({
    mutationFn: () => client.call(deleteTeam, { params: { id: team.id } }),
    onSuccess: async () => {
      await invalidate()
      await navigate('/settings/teams')
    },
  })
  const editor = canEditTeam(me.user, team.id)
  return (
    <>
      <p>
        <Link to="/settings/teams">All teams</Link>
      </p>
      <PageTitle title={team.name}>
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
      </PageTitle>
      {remove.isError ? <ErrorNotice error={remove.error} /> : null}
      {renaming ? (
        <TeamNameForm
          id="team-rename"
          title="Rename team"
          initial={team.name}
          submitLabel="Save"
          save={(name) => client.call(modifyTeam, { params: { id: team.id }, body: { name } })}
          onDone={() => setRenaming(false)}
        />
      ) : null}
      <p>
        {team.host_count} hosts · {team.user_count} users ·{' '}
        <Link to={`/settings/teams/${team.id}/options`}>Agent options</Link>
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
  return team.data ? <TeamDetails team={team.data} /> : <QueryStatus query={team} what="the team" />
}

/** `/settings/teams/:id/…` (older Fleet team URLs): the team's page at today's URL. */
export function TeamPathRedirect() {
  const { team_id: id } = useParams()
  const valid = id !== undefined && /^\d{1,9}$/.test(id) && id !== '0'
  return <Navigate to={valid ? teamUsersPath(Number(id)) : '/settings/teams'} replace />
}
