import { login } from '@fleet/api'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { useLocation } from 'react-router'
import { client } from '../app/client.js'
import { session } from '../app/session.js'
import { useSignIn } from '../app/sign-in.js'
import { Notice, TextInput } from '../components/ui.js'
import { AuthForm } from './AuthForm.js'

function returnPath(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state) {
    const from = state.from
    // Only paths of this console: never an absolute URL or a protocol-relative one.
    if (typeof from === 'string' && from.startsWith('/') && !from.startsWith('//')) {
      return from
    }
  }
  return '/dashboard'
}

/** `/login`: email and password; back to where the user was, or the dashboard. */
export function LoginPage() {
  const location = useLocation()
  const signIn = useSignIn()
  const [notice] = useState(() => session.takeNotice())
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const mutation = useMutation({
    mutationFn: () => client.call(login, { body: { email, password } }),
    onSuccess: ({ token }) => signIn(token, returnPath(location.state)),
  })
  return (
    <AuthForm
      title="Log in to Fleet"
      submit={mutation.isPending ? 'Logging in…' : 'Log in'}
      mutation={mutation}
    >
      {notice ? <Notice>{notice}</Notice> : null}
      <TextInput
        id="email"
        label="Email"
        type="email"
        autoComplete="username"
        required
        value={email}
        onChange={setEmail}
      />
      <TextInput
        id="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={setPassword}
      />
    </AuthForm>
  )
}
