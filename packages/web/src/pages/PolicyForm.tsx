import { createGlobalPolicy, createTeamPolicy } from '@fleet/api'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { client } from '../app/client.js'
import { Button, Card, ErrorNotice, Field, TextInput } from '../components/ui.js'

/** A new policy for the team in scope (global without one): name, yes/no query, resolution. */
export function PolicyForm({ teamId, onDone }: { teamId: number | undefined; onDone: () => void }) {
  const queryClient = useQueryClient()
  const [name, setName] = useState('')
  const [query, setQuery] = useState('')
  const [resolution, setResolution] = useState('')
  const create = useMutation({
    mutationFn: () => {
      const body = { name, query, resolution }
      return teamId === undefined
        ? client.call(createGlobalPolicy, { body })
        : client.call(createTeamPolicy, { params: { id: teamId }, body })
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['policies'] })
      onDone()
    },
  })
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    create.mutate()
  }
  return (
    <Card title="New policy">
      {create.isError ? <ErrorNotice error={create.error} /> : null}
      <form onSubmit={onSubmit}>
        <TextInput id="policy-name" label="Name" required value={name} onChange={setName} />
        <Field id="policy-query" label="Query (a host passes when it returns rows)">
          {(id) => (
            <textarea
              id={id}
              required
              rows={4}
              spellCheck={false}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
            />
          )}
        </Field>
        <TextInput
          id="policy-resolution"
          label="Resolution"
          value={resolution}
          onChange={setResolution}
        />
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Saving…' : 'Save policy'}
        </Button>{' '}
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </form>
    </Card>
  )
}
