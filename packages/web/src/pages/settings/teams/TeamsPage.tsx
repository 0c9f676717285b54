import { createTeam, deleteTeam, listTeams } from '@fleet/api'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { useMe } from '../../../app/auth.js'
import { client } from '../../../app/client.js'
import { ConfirmButton } from '../../../components/ConfirmButton.js'
import { Button, Card, Empty, ErrorNotice, Loading, TextInput } from '../../../components/ui.js'
import { canCreateTeams } from '../../../lib/admin-roles.js'
import { SettingsNav } from '../SettingsNav.js'
import { teamUsersPath } from './team-paths.js'
import tableStyles from '../../../components/table.module.css'
import hostStyles from '../../hosts/hosts.module.css'
import styles from '../../admin.module.css'

function CreateTeamForm({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient()
  const [name, setName] = useState('')
  const create = useMutation({
    mutationFn: () => client.call(createTeam, { body: { name } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['teams'] })
      await queryClient.invalidateQueries({ queryKey: ['me'] })
      onDone()
    },
  })
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    create.mutate()
  }
  return (
    <Card title="New team">
      {create.isError ? <ErrorNotice error={create.error} /> : null}
      <form className={styles.inline} onSubmit={onSubmit}>
        <TextInput id="team-name" label="Team name" required value={name} onChange={setName} />
        <Button type="submit" disabled={create.isPending}>
          Create team
        </Button>
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </form>
    </Card>
  )
}

/** `/settings/teams`: the teams this user can see, with host and user counts. */
export function TeamsPage() {
  const me = useMe()
  const queryClient = useQueryClient()
  const [adding, setAdding] = useState(false)
  const teams = useQuery({
    queryKey: ['teams'],
    queryFn: async () => (await client.call(listTeams)).teams,
  })
  const remove = useMutation({
    mutationFn: (id: number) => client.call(deleteTeam, { params: { id } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['teams'] })
      await queryClient.invalidateQueries({ queryKey: ['me'] })
    },
  })
  const creator = canCreateTeams(me.user)
  return (
    <>
      <div className={hostStyles.titleRow}>
        <h1>Settings</h1>
      </div>
      <SettingsNav />
      <div className={hostStyles.titleRow}>
        <h2>Teams</h2>
        {creator && !adding ? <Button onClick={() => setAdding(true)}>Create team</Button> : null}
      </div>
      {adding ? <CreateTeamForm onDone={() => setAdding(false)} /> : null}
      {remove.isError ? <ErrorNotice error={remove.error} /> : null}
      {teams.isPending ? <Loading what="teams" /> : null}
      {teams.isError ? (
        <ErrorNotice error={teams.error} onRetry={() => void teams.refetch()} />
      ) : null}
      {teams.data?.length === 0 ? <Empty>No teams yet.</Empty> : null}
      {teams.data && teams.data.length > 0 ? (
        <div className={tableStyles.scroller}>
          <table className={tableStyles.table}>
            <caption className="visually-hidden">Teams</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Hosts</th>
                <th scope="col">Users</th>
                {creator ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  )
}
