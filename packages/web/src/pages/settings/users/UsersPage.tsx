import { deleteUser, listUsers, requirePasswordReset, type User } from '@fleet/api'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useMe } from '../../../app/auth.js'
import { client } from '../../../app/client.js'
import { useInvalidate } from '../../../app/mutations.js'
import { ConfirmButton } from '../../../components/ConfirmButton.js'
import { PageTitle } from '../../../components/PageTitle.js'
import { QueryStatus } from '../../../components/QueryStatus.js'
import { SimpleTable } from '../../../components/SimpleTable.js'
import { Badge, Button, Empty, ErrorNotice } from '../../../components/ui.js'
import { canManageUsers, describeRoles } from '../../../lib/admin-roles.js'
import { SettingsNav } from '../SettingsNav.js'
import { UserForm } from './UserForm.js'
import styles from '../../admin.module.css'

function UserActions({ user, onEdit }: { user: User; onEdit: () => void }) {
  const me = useMe()
  const refresh = useInvalidate(['users'])
  const reset = useMutation({
    mutationFn: () =>
      client.call(requirePasswordReset, { params: { id: user.id }, body: { require: true } }),
    onSuccess: refresh,
  })
  const remove = useMutation({
    mutationFn: () => client.call(deleteUser, { params: { id: user.id } }),
    onSuccess: refresh,
  })
  const self = user.id === me.user.id
  const error = reset.error ?? remove.error
  return (
    <div className={styles.rowActions}>
      <Button variant="secondary" aria-label={`Edit ${user.name}`} onClick={onEdit}>
        Edit
      </Button>
      {!self && !user.force_password_reset ? (
        <Button
          variant="secondary"
          disabled={reset.isPending}
          aria-label={`Require password reset for ${user.name}`}
          onClick={() => reset.mutate()}
        >
          Require password reset
        </Button>
      ) : null}
      {!self ? (
        <ConfirmButton
          label="Delete"
          question={`Delete ${user.name}?`}
          busy={remove.isPending}
          onConfirm={() => remove.mutate()}
        />
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
    </div>
  )
}

/** `/settings/users`: every user with their global or team roles; global admins manage them. */
export function UsersPage() {
  const me = useMe()
  const [editing, setEditing] = useState<User | 'new' | undefined>()
  const users = useQuery({
    queryKey: ['users', 'all'],
    queryFn: async () => (await client.call(listUsers, { query: {} })).users,
  })
  const manager = canManageUsers(me.user)
  return (
    <>
      <PageTitle title="Settings" />
      <SettingsNav />
      <PageTitle title="Users" level={2}>
        {manager && editing === undefined ? (
          <Button onClick={() => setEditing('new')}>Add user</Button>
        ) : null}
      </PageTitle>
      {editing !== undefined ? (
        <UserForm
          key={editing === 'new' ? 'new' : editing.id}
          user={editing === 'new' ? undefined : editing}
          onDone={() => setEditing(undefined)}
        />
      ) : null}
      <QueryStatus query={users} what="users" />
      {users.data?.length === 0 ? <Empty>No users.</Empty> : null}
      {users.data && users.data.length > 0 ? (
        <SimpleTable
          caption="Users"
          columns={['Name', 'Email', 'Role', 'Status', ...(manager ? [null] : [])]}
        >
          {users.data.map((user) => (
            <tr key={user.id}>
              <td>{user.name}</td>
              <td>{user.email}</td>
              <td>{describeRoles(user)}</td>
              <td>
                {user.force_password_reset ? (
                  <Badge tone="new">Password reset required</Badge>
                ) : (
                  <Badge tone="online">Active</Badge>
                )}
              </td>
              {manager ? (
                <td>
                  <UserActions user={user} onEdit={() => setEditing(user)} />
                </td>
              ) : null}
            </tr>
          ))}
        </SimpleTable>
      ) : null}
    </>
  )
}
