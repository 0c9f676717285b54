import { changePassword, modifyUser } from '@fleet/api'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { Facts, PageTitle } from '../../components/PageTitle.js'
import { Button, Card, ErrorNotice, Notice, TextInput } from '../../components/ui.js'
import { describeRoles } from '../../lib/admin-roles.js'

function NameForm() {
  const me = useMe()
  const queryClient = useQueryClient()
  const [name, setName] = useState(me.user.name)
  const save = useMutation({
    mutationFn: () => client.call(modifyUser, { params: { id: me.user.id }, body: { name } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['me'] }),
  })
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    save.mutate()
  }
  return (
    <Card title="Profile">
      {save.isError ? <ErrorNotice error={save.error} /> : null}
      {save.isSuccess ? <Notice>Name saved.</Notice> : null}
      <form onSubmit={onSubmit}>
        <TextInput id="account-name" label="Full name" required value={name} onChange={setName} />
        <Button type="submit" disabled={save.isPending}>
          Save name
        </Button>
      </form>
    </Card>
  )
}

function PasswordForm() {
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [confirm, setConfirm] = useState('')
  const [mismatch, setMismatch] = useState(false)
  const change = useMutation({
    mutationFn: () =>
      client.call(changePassword, { body: { old_password: current, new_password: next } }),
    onSuccess: () => {
      setCurrent('')
      setNext('')
      setConfirm('')
    },
  })
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    setMismatch(next !== confirm)
    if (next === confirm) {
      change.mutate()
    }
  }
  return (
    <Card title="Change password">
      {change.isError ? <ErrorNotice error={change.error} /> : null}
      {mismatch ? <p role="alert">The new password and its confirmation differ.</p> : null}
      {change.isSuccess ? <Notice>Password changed.</Notice> : null}
      <form onSubmit={onSubmit}>
        <TextInput
          id="current-password"
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={setCurrent}
        />
        <TextInput
          id="new-password"
          label="New password (12–48 characters, a number and a symbol)"
          type="password"
          autoComplete="new-password"
          required
          value={next}
          onChange={setNext}
        />
        <TextInput
          id="confirm-password"
          label="Confirm new password"
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={setConfirm}
        />
        <Button type="submit" disabled={change.isPending}>
          Change password
        </Button>
      </form>
    </Card>
  )
}

/** `/account`: the signed-in user's own name, email, roles and password. */
export function AccountPage() {
  const me = useMe()
  const teamsById = new Map(me.available_teams.map((t) => [t.id, t.name]))
  const roles = describeRoles({
    global_role: me.user.global_role,
    teams: me.user.teams.map((t) => ({ name: teamsById.get(t.id) ?? t.name, role: t.role })),
  })
  return (
    <>
      <PageTitle title="My account" />
      <Facts
        items={[
          ['Email', me.user.email],
          ['Role', roles],
        ]}
      />
      <NameForm />
      <PasswordForm />
    </>
  )
}
