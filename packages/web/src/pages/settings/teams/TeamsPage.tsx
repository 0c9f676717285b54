import { createTeam, deleteTeam, listTeams } from '@fleet/api'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { Link } from 'react-router'
import { useMe } from '../../../app/auth.js'
import { client } from '../../../app/client.js'
import { useInvalidate } from '../../../app/mutations.js'
import { ConfirmButton } from '../../../components/ConfirmButton.js'
import { PageTitle } from '../../../components/PageTitle.js'
import { QueryStatus } from '../../../components/QueryStatus.js'
import { SimpleTable } from '../../../components/SimpleTable.js'
import { Button, Empty, ErrorNotice } from '../../../components/ui.js'
import { canCreateTeams } from '../../../lib/admin-roles.js'
import { SettingsNav } from '../SettingsNav.js'
import { teamUsersPath } from './team-paths.js'
import { TeamNameForm } from './TeamNameForm.js'

/** `/settings/teams`: the teams this user can see, with host and user counts. */
export function TeamsPage() {
  const me = useMe()
  const invalidate = useInvalidate(['teams'], ['me'])
  const [adding, setAdding] = useState(false)
  const teams = useQuery({
    queryKey: ['teams'],
    queryFn: async () => (await client.call(listTeams)).teams,
  })
  const remove = useMutation({
    mutationFn: (id: number) => client.call(deleteTeam, { params: { id } }),
    onSuccess: invalidate,
  })
  const creator = canCreateTeams(me.user)
  return (
    <>
      <PageTitle title="Settings" />
      <SettingsNav />
      <PageTitle title="Teams" level={2}>
        {creator && !adding ? <Button onClick={() => setAdding(true)}>Create team</Button> : null}
      </PageTitle>
      {adding ? (
        <TeamNameForm
          id="team-name"
          title="New team"
          initial=""
          submitLabel="Create team"
          save={(name) => client.call(createTeam, { body: { name } })}
          onDone={() => setAdding(false)}
        />
      ) : null}
      {remove.isError ? <ErrorNotice error={remove.error} /> : null}
      <QueryStatus query={teams} what="teams" />
      {teams.data?.length === 0 ? <Empty>No teams yet.</Empty> : null}
      {teams.data && teams.data.length > 0 ? (
        <SimpleTable
          caption="Teams"
          columns={creator ? ['Name', 'Hosts', 'Users', null] : ['Name', 'Hosts', 'Users']}
        >
          {teams.data.map((team) => (
            <tr key={team.id}>
              <td>
                <Link to={teamUsersPath(team.id)}>{team.name}</Link>
              </td>
              <td>{team.host_count}</td>
              <td>{team.user_count}</td>
              {creator ? (
                <td>
                  <ConfirmButton
                    label="Delete"
                    question={`Delete ${team.name}? Its hosts move to no team.`}
                    busy={remove.isPending}
                    onConfirm={() => remove.mutate(team.id)}
                  />
                </td>
              ) : null}
            </tr>
          ))}
        </SimpleTable>
      ) : null}
    </>
  )
}
