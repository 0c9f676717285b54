import { setup } from '@fleet/api'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { client } from '../app/client.js'
import { useSignIn } from '../app/sign-in.js'
import { TextInput } from '../components/ui.js'
import { AuthForm } from './AuthForm.js'

const FIELDS = [
  { key: 'name', label: 'Full name', type: 'text', autoComplete: 'name' },
  { key: 'email', label: 'Email', type: 'email', autoComplete: 'username' },
  { key: 'password', label: 'Password', type: 'password', autoComplete: 'new-password' },
  { key: 'org', label: 'Organization name', type: 'text', autoComplete: 'organization' },
] as const

type Form = Record<(typeof FIELDS)[number]['key'], string>

/**
 * `/setup`: the first admin and the organization, while the server has no user (the server
 * redirects here then, and away once set up). Signs the new admin in.
 */
export function SetupPage() {
  const signIn = useSignIn()
  const [form, setForm] = useState<Form>({ name: '', email: '', password: '', org: '' })
  const mutation = useMutation({
    mutationFn: () =>
      client.call(setup, {
        body: {
          admin: { admin: true, name: form.name, email: form.email, password: form.password },
          org_info: { org_name: form.org },
          server_url: window.location.origin,
        },
      }),
    onSuccess: ({ token }) => signIn(token, '/dashboard'),
  })
  return (
    <AuthForm
      title="Set up Fleet"
      lead="Create the first admin account and name your organization."
      submit={mutation.isPending ? 'Setting up…' : 'Set up'}
      mutation={mutation}
    >
      {FIELDS.map((field) => (
        <TextInput
          key={field.key}
          id={`setup-${field.key}`}
          label={field.label}
          type={field.type}
          autoComplete={field.autoComplete}
          required
          value={form[field.key]}
          onChange={(value) => setForm({ ...form, [field.key]: value })}
        />
      ))}
    </AuthForm>
  )
}
