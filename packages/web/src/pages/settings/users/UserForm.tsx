import { createUser, listTeams, modifyUser, Role, type User } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { client } from '../../../app/client.js'
import { FormButtons } from '../../../components/FormButtons.js'
import { useFormMutation } from '../../../app/mutations.js'
import { Card, ErrorNotice, TextInput } from '../../../components/ui.js'
import { RoleSelect } from './RoleSelect.js'
import styles from '../../admin.module.css'

type Access = 'global' | 'teams'

/** The roles part of a create/modify body: a global role, or roles on teams (never both). */
function rolesBody(access: Access, globalRole: string, teamRoles: Record<number, string>) {
  if (access === 'global') {
    return { global_role: Role.parse(globalRole), teams: [] }
  }
  const teams = Object.entries(teamRoles)
    .filter(([, role]) => role !== '')
    .map(([id, role]) => ({ id: Number(id), role: Role.parse(role) }))
  return { global_role: null, teams }
}

/** Per-team role pickers: one row per team, "No access" leaving the user off it. */
function TeamRoles({
  value,
  onChange,
}: {
  value: Record<number, string>
  onChange: (next: Record<number, string>) => void
}) {
  const teams = useQuery({
    queryKey: ['teams'],
    queryFn: async () => (await client.call(listTeams)).teams,
  })
  if (teams.isError) {
    return <ErrorNotice error={teams.error} />
  }
  if (teams.data?.length === 0) {
    return <p>No teams yet: create one under Teams first.</p>
  }
  return (
    <fieldset className={styles.checks}>
      <legend>Role on each team</legend>
      {(teams.data ?? []).map((team) => (
        <RoleSelect
          key={team.id}
          id={`team-role-${team.id}`}
          label={team.name}
          none="No access"
          value={value[team.id] ?? ''}
          onChange={(role) => onChange({ ...value, [team.id]: role })}
        />
      ))}
    </fieldset>
  )
}

/**
 * Creates a user (name, email, password) or edits one (name, email, roles), with either a global
 * role or a role on each chosen team, as Fleet's "Add user" form. `forTeam`: a new user created
 * from a team's page, with team roles only (all a team admin may give), observer there at first.
 */
export function UserForm({
  user,
  forTeam,
  onDone,
}: {
  user?: User
  forTeam?: number
  onDone: () => void
}) {
  const [name, setName] = useState(user?.name ?? '')
  const [email, setEmail] = useState(user?.email ?? '')
  const [password, setPassword] = useState('')
  const [access, setAccess] = useState<Access>(
    forTeam !== undefined || (user && user.global_role === null) ? 'teams' : 'global',
  )
  const [globalRole, setGlobalRole] = useState<string>(user?.global_role ?? 'observer')
  const [teamRoles, setTeamRoles] = useState<Record<number, string>>(() =>
    forTeam !== undefined
      ? { [forTeam]: 'observer' }
      : Object.fromEntries((user?.teams ?? []).map((t) => [t.id, t.role])),
  )
  const { mutation: save, onSubmit } = useFormMutation(
    async () => {
      const roles = rolesBody(access, globalRole, teamRoles)
      if (user) {
        const changed = email.trim().toLowerCase() !== user.email
        return client.call(modifyUser, {
          params: { id: user.id },
          body: { name, ...(changed ? { email } : {}), ...roles },
        })
      }
      return client.call(createUser, { body: { name, email, password, ...roles } })
    },
    { invalidate: [['users'], ['team']], onDone },
  )
  const key = user ? `edit-${user.id}` : 'new'
  return (
    <Card title={user ? `Edit ${user.name}` : 'New user'}>
      {save.isError ? <ErrorNotice error={save.error} /> : null}
      <form onSubmit={onSubmit}>
        <TextInput id={`${key}-name`} label="Full name" required value={name} onChange={setName} />
        <TextInput
          id={`${key}-email`}
          label="Email"
          type="email"
          required
          value={email}
          onChange={setEmail}
        />
        {user ? null : (
          <TextInput
            id={`${key}-password`}
            label="Password (12–48 characters, a number and a symbol)"
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onChange={setPassword}
          />
        )}
        <fieldset className={styles.checks} hidden={forTeam !== undefined}>
          <legend>Access</legend>
          <label>
            <input
              type="radio"
              name={`${key}-access`}
              checked={access === 'global'}
              onChange={() => setAccess('global')}
            />
            Global user (one role on every team)
          </label>
          <label>
            <input
              type="radio"
              name={`${key}-access`}
              checked={access === 'teams'}
              onChange={() => setAccess('teams')}
            />
            Assign to teams (a role on each)
          </label>
        </fieldset>
        {access === 'global' ? (
          <RoleSelect
            id={`${key}-global-role`}
            label="Global role"
            value={globalRole}
            onChange={setGlobalRole}
          />
        ) : (
          <TeamRoles value={teamRoles} onChange={setTeamRoles} />
        )}
        <FormButtons
          label={user ? 'Save user' : 'Create user'}
          saving={save.isPending}
          onCancel={onDone}
        />
      </form>
    </Card>
  )
}
