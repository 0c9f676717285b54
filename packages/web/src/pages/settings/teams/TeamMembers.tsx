import { addTeamUsers, listUsers, removeTeamUsers, Role, type Team } from '@fleet/api'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { client } from '../../../app/client.js'
import { useInvalidate } from '../../../app/mutations.js'
import { ConfirmButton } from '../../../components/ConfirmButton.js'
import { SimpleTable } from '../../../components/SimpleTable.js'
import { Button, Card, Empty, ErrorNotice, Field } from '../../../components/ui.js'
import { ROLE_NAMES } from '../../../lib/admin-roles.js'
import { RoleSelect } from '../users/RoleSelect.js'
import { UserForm } from '../users/UserForm.js'
import styles from '../../admin.module.css'

type Member = NonNullable<Team['users']>[number]

/** Adds an existing user to the team with a role (users this admin may list). */
function AddMember({ team, onChange }: { team: Team; onChange: () => Promise<void> }) {
  const [userId, setUserId] = useState('')
  const [role, setRole] = useState('observer')
  const users = useQuery({
    queryKey: ['users', 'all'],
    queryFn: async () => (await client.call(listUsers, { query: {} })).users,
  })
  const members = new Set((team.users ?? []).map((u) => u.id))
  const candidates = (users.data ?? []).filter((u) => !members.has(u.id) && u.global_role === null)
  const add = useMutation({
    mutationFn: () =>
      client.call(addTeamUsers, {
        params: { id: team.id },
        body: { users: [{ id: Number(userId), role: Role.parse(role) }] },
      }),
    onSuccess: async () => {
      setUserId('')
      await onChange()
    },
  })
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (userId !== '') {
      add.mutate()
    }
  }
  if (users.isError) {
    return <ErrorNotice error={users.error} />
  }
  return (
    <form className={styles.inline} onSubmit={onSubmit} aria-label="Add a member">
      {add.isError ? <ErrorNotice error={add.error} /> : null}
      <Field id="member-user" label="User">
        {(id) => (
          <select id={id} value={userId} required onChange={(e) => setUserId(e.target.value)}>
            <option value="">{candidates.length === 0 ? 'No user to add' : 'Choose a user'}</option>
            {candidates.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.email})
              </option>
            ))}
          </select>
        )}
      </Field>
      <RoleSelect id="member-role" label="Role" value={role} onChange={setRole} />
      <Button type="submit" disabled={add.isPending || userId === ''}>
        Add member
      </Button>
    </form>
  )
}

/** One member's row: their role on this team, changeable and removable by the team's admins. */
function MemberRow({
  team,
  member,
  editable,
  onChange,
}: {
  team: Team
  member: Member
  editable: boolean
  onChange: () => Promise<void>
}) {
  const setRole = useMutation({
    mutationFn: (role: string) =>
      client.call(addTeamUsers, {
        params: { id: team.id },
        body: { users: [{ id: member.id, role: Role.parse(role) }] },
      }),
    onSuccess: onChange,
  })
  const remove = useMutation({
    mutationFn: () =>
      client.call(removeTeamUsers, {
        params: { id: team.id },
        body: { users: [{ id: member.id }] },
      }),
    onSuccess: onChange,
  })
  const error = setRole.error ?? remove.error
  return (
    <tr>
      <td>{member.name}</td>
      <td>{member.email}</td>
      <td>
        {editable ? (
          <RoleSelect
            id={`role-${member.id}`}
            label={`Role of ${member.name}`}
            value={member.role}
            inline
            disabled={setRole.isPending}
            onChange={(role) => setRole.mutate(role)}
          />
        ) : (
          (ROLE_NAMES[member.role] ?? member.role)
        )}
        {error ? <ErrorNotice error={error} /> : null}
      </td>
      {editable ? (
        <td>
          <ConfirmButton
            label="Remove"
            question={`Remove ${member.name} from ${team.name}?`}
            busy={remove.isPending}
            onConfirm={() => remove.mutate()}
          />
        </td>
      ) : null}
    </tr>
  )
}

/** A team's members and their roles on it; the team's admins add, re-role and remove them. */
export function TeamMembers({ team, editable }: { team: Team; editable: boolean }) {
  const refresh = useInvalidate(['team', team.id], ['users'], ['teams'])
  const members = team.users ?? []
  const [creating, setCreating] = useState(false)
  return (
    <Card title="Users">
      {editable ? <AddMember team={team} onChange={refresh} /> : null}
      {editable && !creating ? (
        <p>
          Not a user yet?{' '}
          <Button variant="secondary" onClick={() => setCreating(true)}>
            Create user
          </Button>
        </p>
      ) : null}
      {creating ? (
        <UserForm
          forTeam={team.id}
          onDone={() => {
            setCreating(false)
            void refresh()
          }}
        />
      ) : null}
      {members.length === 0 ? <Empty>No users on this team yet.</Empty> : null}
      {members.length > 0 ? (
        <SimpleTable
          caption={`Members of ${team.name}`}
          columns={['Name', 'Email', 'Role', ...(editable ? [null] : [])]}
        >
          {members.map((member) => (
            <MemberRow
              key={member.id}
              team={team}
              member={member}
              editable={editable}
              onChange={refresh}
            />
          ))}
        </SimpleTable>
      ) : null}
    </Card>
  )
}
