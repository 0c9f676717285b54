import { modifyConfig } from '@fleet/api'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { client } from '../../app/client.js'
import { Button, Card, ErrorNotice, Notice, ProblemList, TextInput } from '../../components/ui.js'
import { orgSettingsPatch, type OrgSettingsForm as Form } from '../../lib/org-settings.js'
import styles from './settings.module.css'

type TextKey = { [K in keyof Form]: Form[K] extends string ? K : never }[keyof Form]
type FlagKey = { [K in keyof Form]: Form[K] extends boolean ? K : never }[keyof Form]

/**
 * The organization settings form: every field read-only, and no Save, for users who may not edit
 * them (observers, maintainers, team users).
 */
export function OrgSettingsForm({ initial, editable }: { initial: Form; editable: boolean }) {
  const queryClient = useQueryClient()
  const [form, setForm] = useState(initial)
  const [problems, setProblems] = useState<string[]>([])
  const save = useMutation({
    mutationFn: (patch: Record<string, unknown>) => client.call(modifyConfig, { body: patch }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['config'] }),
  })
  const text = (key: TextKey, label: string, extra: { type?: string; hint?: string } = {}) => (
    <>
      <TextInput
        id={`org-${key}`}
        label={label}
        type={extra.type ?? 'text'}
        readOnly={!editable}
        value={form[key]}
        onChange={(value) => setForm({ ...form, [key]: value })}
      />
      {extra.hint ? <p className={styles.hint}>{extra.hint}</p> : null}
    </>
  )
  const flag = (key: FlagKey, label: string) => (
    <div className={styles.check}>
      <input
        id={`org-${key}`}
        type="checkbox"
        disabled={!editable}
        checked={form[key]}
        onChange={(e) => setForm({ ...form, [key]: e.target.checked })}
      />
      <label htmlFor={`org-${key}`}>{label}</label>
    </div>
  )
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    const result = orgSettingsPatch(form)
    setProblems(result.ok ? [] : result.problems)
    if (result.ok) {
      save.mutate(result.patch)
    }
  }
  return (
    <form onSubmit={onSubmit} aria-label="Organization settings">
      <Card title="Organization info">
        <div className={styles.grid}>
          <div>{text('orgName', 'Organization name')}</div>
          <div>{text('orgLogoUrl', 'Organization avatar URL', { type: 'url' })}</div>
          <div>
            {text('contactUrl', 'Organization support URL', {
              type: 'url',
              hint: 'Where end users go for help (linked from My device).',
            })}
          </div>
        </div>
      </Card>
      <Card title="Fleet web address">
        {text('serverUrl', 'Fleet app URL', {
          type: 'url',
          hint: 'The address hosts and users reach this server at.',
        })}
        {text('transparencyUrl', 'Custom transparency URL', {
          type: 'url',
          hint: 'Where "Learn more" on My device leads; empty for Fleet’s own page.',
        })}
      </Card>
      <Card title="Host expiry">
        {flag('hostExpiryEnabled', 'Delete hosts that have not checked in')}
        {text('hostExpiryWindow', 'Host expiry window (days)', { type: 'number' })}
      </Card>
      <Card title="Webhooks">
        {flag('hostStatusEnabled', 'Host status webhook')}
        <div className={styles.grid}>
          <div>{text('hostStatusUrl', 'Host status destination URL', { type: 'url' })}</div>
          <div>{text('hostStatusPercentage', 'Percentage of hosts', { type: 'number' })}</div>
          <div>{text('hostStatusDays', 'Number of days', { type: 'number' })}</div>
        </div>
        {flag('activitiesEnabled', 'Activities webhook')}
        {text('activitiesUrl', 'Activities destination URL', { type: 'url' })}
      </Card>
      <ProblemList title="Please correct these fields" problems={problems} />
      {save.isError ? <ErrorNotice error={save.error} /> : null}
      {save.isSuccess && !save.isPending ? <Notice>Organization settings saved.</Notice> : null}
      {editable ? (
        <div className={styles.actions}>
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save'}
          </Button>
        </div>
      ) : null}
    </form>
  )
}
