import { getConfig, getTeam, modifyConfig, modifyTeam } from '@fleet/api'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { client } from '../../app/client.js'
import { useInvalidate } from '../../app/mutations.js'
import { FormButtons } from '../../components/FormButtons.js'
import { usePolicies } from '../../app/policies.js'
import { Card, ErrorNotice, Loading, Notice, TextInput } from '../../components/ui.js'
import {
  toWebhookForm,
  toWebhookPatch,
  type FailingPoliciesWebhookPatch,
  type WebhookForm,
} from '../../lib/webhook-settings.js'
import styles from '../admin.module.css'

/** The failing-policies webhook of a scope: the app config's (global) or a team's settings. */
function webhookApi(teamId: number | undefined) {
  return {
    key: ['failing-policies-webhook', teamId ?? null] as const,
    load: async () =>
      teamId === undefined
        ? (await client.call(getConfig)).webhook_settings.failing_policies_webhook
        : (await client.call(getTeam, { params: { id: teamId } })).team.webhook_settings
            .failing_policies_webhook,
    save: async (patch: FailingPoliciesWebhookPatch) => {
      const body = { webhook_settings: { failing_policies_webhook: patch } }
      if (teamId === undefined) {
        await client.call(modifyConfig, { query: {}, body })
      } else {
        await client.call(modifyTeam, { params: { id: teamId }, body })
      }
    },
  }
}

function WebhookFields({
  form,
  setForm,
  teamId,
}: {
  form: WebhookForm
  setForm: (f: WebhookForm) => void
  teamId: number | undefined
}) {
  const policies = usePolicies(teamId)
  const toggle = (id: number, on: boolean) =>
    setForm({
      ...form,
      policyIds: on ? [...form.policyIds, id] : form.policyIds.filter((p) => p !== id),
    })
  return (
    <>
      <label className={styles.checkbox}>
        <input
          type="checkbox"
          checked={form.enabled}
          onChange={(e) => setForm({ ...form, enabled: e.target.checked })}
        />
        Enable the failing-policies webhook
      </label>
      <TextInput
        id="webhook-url"
        label="Destination URL"
        type="url"
        placeholder="https://example.com/fleet-webhook"
        value={form.destinationUrl}
        onChange={(destinationUrl) => setForm({ ...form, destinationUrl })}
      />
      <fieldset className={styles.checks}>
        <legend>Policies that trigger it</legend>
        {policies.isError ? <ErrorNotice error={policies.error} /> : null}
        {policies.data?.length === 0 ? <p>No policies in this scope yet.</p> : null}
        {(policies.data ?? []).map((policy) => (
          <label key={policy.id}>
            <input
              type="checkbox"
              checked={form.policyIds.includes(policy.id)}
              onChange={(e) => toggle(policy.id, e.target.checked)}
            />
            {policy.name}
          </label>
        ))}
      </fieldset>
      <TextInput
        id="webhook-batch"
        label="Host batch size (0: all failing hosts in one request)"
        inputMode="numeric"
        value={form.hostBatchSize}
        onChange={(hostBatchSize) => setForm({ ...form, hostBatchSize })}
      />
    </>
  )
}

function WebhookEditor({
  stored,
  teamId,
  onDone,
}: {
  stored: FailingPoliciesWebhookPatch
  teamId: number | undefined
  onDone: () => void
}) {
  const api = webhookApi(teamId)
  // The organization settings page reads the same app config.
  const invalidate = useInvalidate(api.key, ['config'])
  const [form, setForm] = useState(() => toWebhookForm(stored))
  const [problem, setProblem] = useState<string | undefined>()
  const save = useMutation({
    mutationFn: api.save,
    onSuccess: invalidate,
  })
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const result = toWebhookPatch(form)
    if ('error' in result) {
      setProblem(result.error)
      return
    }
    setProblem(undefined)
    save.mutate(result.patch)
  }
  return (
    <form onSubmit={onSubmit}>
      {problem ? <p role="alert">{problem}</p> : null}
      {save.isError ? <ErrorNotice error={save.error} /> : null}
      {save.isSuccess ? <Notice>Webhook settings saved.</Notice> : null}
      <WebhookFields form={form} setForm={setForm} teamId={teamId} />
      <FormButtons
        label="Save automations"
        saving={save.isPending}
        onCancel={onDone}
        cancelLabel="Close"
      />
    </form>
  )
}

/**
 * "Manage automations" of the policies page: Fleet's failing-policies webhook, which POSTs the
 * hosts newly failing the chosen policies to a URL, for all hosts (no team) or the team in scope.
 */
export function PolicyAutomations({
  teamId,
  onDone,
}: {
  teamId: number | undefined
  onDone: () => void
}) {
  const api = webhookApi(teamId)
  const stored = useQuery({ queryKey: api.key, queryFn: api.load })
  return (
    <Card title={teamId === undefined ? 'Automations (global)' : 'Automations (this team)'}>
      {stored.isPending ? <Loading what="the webhook settings" /> : null}
      {stored.isError ? (
        <ErrorNotice error={stored.error} onRetry={() => void stored.refetch()} />
      ) : null}
      {stored.data ? <WebhookEditor stored={stored.data} teamId={teamId} onDone={onDone} /> : null}
    </Card>
  )
}
