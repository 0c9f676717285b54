import {
  applyGlobalEnrollSecrets,
  getGlobalEnrollSecrets,
  getTeamSecrets,
  modifyTeamSecrets,
} from '@fleet/api'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useMe } from '../../app/auth.js'
import { client } from '../../app/client.js'
import { ConfirmButton } from '../../components/ConfirmButton.js'
import { CopyButton } from '../../components/CopyButton.js'
import { Button, Card, Empty, ErrorNotice, Loading, TextInput } from '../../components/ui.js'
import { canManageEnrollSecrets } from '../../lib/admin-roles.js'
import { generateSecret, withoutSecret, withSecret } from '../../lib/enroll-secrets.js'
import styles from '../admin.module.css'

/** Reads and replaces the secrets of a scope: the global ones (null) or a team's. */
function secretsApi(teamId: number | null) {
  return {
    key: ['enroll-secrets', teamId] as const,
    load: async () =>
      teamId === null
        ? (await client.call(getGlobalEnrollSecrets)).spec.secrets
        : (await client.call(getTeamSecrets, { params: { id: teamId } })).secrets,
    save: async (secrets: string[]) => {
      const list = secrets.map((secret) => ({ secret }))
      if (teamId === null) {
        await client.call(applyGlobalEnrollSecrets, { body: { spec: { secrets: list } } })
      } else {
        await client.call(modifyTeamSecrets, { params: { id: teamId }, body: { secrets: list } })
      }
    },
  }
}

/**
 * "Manage enroll secrets": hosts enroll with one of these. Shows each secret with a copy button;
 * those allowed add (typed or generated) and delete them. Saving sends the whole new list, as
 * Fleet's API replaces a scope's secrets.
 */
export function EnrollSecretsCard({ teamId, title }: { teamId: number | null; title: string }) {
  const me = useMe()
  const queryClient = useQueryClient()
  const api = secretsApi(teamId)
  const secrets = useQuery({ queryKey: api.key, queryFn: api.load })
  const [draft, setDraft] = useState('')
  const [problem, setProblem] = useState<string | undefined>()
  const save = useMutation({
    mutationFn: api.save,
    onSuccess: async () => {
      setDraft('')
      await queryClient.invalidateQueries({ queryKey: ['enroll-secrets'] })
    },
  })
  const writer = canManageEnrollSecrets(me.user, teamId)
  const current = secrets.data?.map((s) => s.secret) ?? []
  const onAdd = (event: FormEvent) => {
    event.preventDefault()
    const result = withSecret(current, draft)
    if ('error' in result) {
      setProblem(result.error)
      return
    }
    setProblem(undefined)
    save.mutate(result.secrets)
  }
  return (
    <Card title={title}>
      {secrets.isPending ? <Loading what="enroll secrets" /> : null}
      {secrets.isError ? (
        <ErrorNotice error={secrets.error} onRetry={() => void secrets.refetch()} />
      ) : null}
      {save.isError ? <ErrorNotice error={save.error} /> : null}
      {secrets.data?.length === 0 ? (
        <Empty>No enroll secrets: no host can enroll here.</Empty>
      ) : null}
      {current.length > 0 ? (
        <ul className={styles.secrets} aria-label={`${title} list`}>
          {current.map((secret) => (
            <li key={secret}>
              <code>{secret}</code>
              <CopyButton text={secret} what={`secret ${secret}`} />
              {writer ? (
                <ConfirmButton
                  label="Delete"
                  question="Hosts using it can no longer enroll."
                  busy={save.isPending}
                  onConfirm={() => save.mutate(withoutSecret(current, secret))}
                />
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {writer && secrets.data ? (
        <form className={styles.inline} onSubmit={onAdd}>
          <TextInput
            id={`new-secret-${teamId ?? 'global'}`}
            label="New secret"
            value={draft}
            autoComplete="off"
            spellCheck={false}
            onChange={setDraft}
          />
          <Button
            variant="secondary"
            onClick={() => setDraft(generateSecret((b) => crypto.getRandomValues(b)))}
          >
            Generate
          </Button>
          <Button type="submit" disabled={save.isPending}>
            Add secret
          </Button>
          {problem ? (
            <p role="alert" className={styles.problem}>
              {problem}
            </p>
          ) : null}
        </form>
      ) : null}
    </Card>
  )
}
