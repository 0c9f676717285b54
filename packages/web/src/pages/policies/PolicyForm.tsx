import {
  createGlobalPolicy,
  createTeamPolicy,
  modifyGlobalPolicy,
  modifyTeamPolicy,
  TARGET_PLATFORMS,
  type EndpointInput,
  type Policy,
} from '@fleet/api'
import { useState } from 'react'
import { client } from '../../app/client.js'
import { FormButtons } from '../../components/FormButtons.js'
import { useFormMutation } from '../../app/mutations.js'
import { SqlField } from '../../components/SqlField.js'
import { Card, ErrorNotice, TextInput } from '../../components/ui.js'
import styles from '../admin.module.css'

const PLATFORM_NAMES: Record<string, string> = {
  darwin: 'macOS',
  windows: 'Windows',
  linux: 'Linux',
  chrome: 'ChromeOS',
}

/** Which platforms the policy runs on; none checked means every platform, as in Fleet. */
function PlatformChecks({ value, onChange }: { value: string[]; onChange: (v: string[]) => void }) {
  return (
    <fieldset className={styles.checks}>
      <legend>Platforms (none checked: all)</legend>
      {TARGET_PLATFORMS.map((platform) => (
        <label key={platform}>
          <input
            type="checkbox"
            checked={value.includes(platform)}
            onChange={(e) =>
              onChange(
                e.target.checked ? [...value, platform] : value.filter((p) => p !== platform),
              )
            }
          />
          {PLATFORM_NAMES[platform] ?? platform}
        </label>
      ))}
    </fieldset>
  )
}

/** Saves a new policy in the scope given (global without a team) or the changes to `policy`. */
function savePolicy(policy: Policy | undefined, teamId: number | undefined, body: PolicyBody) {
  if (policy) {
    return policy.team_id === null
      ? client.call(modifyGlobalPolicy, { params: { id: policy.id }, body })
      : client.call(modifyTeamPolicy, {
          params: { id: policy.team_id, policy_id: policy.id },
          body,
        })
  }
  return teamId === undefined
    ? client.call(createGlobalPolicy, { body })
    : client.call(createTeamPolicy, { params: { id: teamId }, body })
}

/** Every field of a policy, as creating one takes them (modifying takes any of them). */
type PolicyBody = Required<EndpointInput<typeof createGlobalPolicy>['body']>

/**
 * A policy's name, yes/no query, description, resolution, platforms and criticality: a new one
 * for the team in scope, or an existing one (`policy`).
 */
export function PolicyForm({
  policy,
  teamId,
  onDone,
}: {
  policy?: Policy
  teamId: number | undefined
  onDone: () => void
}) {
  const [name, setName] = useState(policy?.name ?? '')
  const [query, setQuery] = useState(policy?.query ?? '')
  const [description, setDescription] = useState(policy?.description ?? '')
  const [resolution, setResolution] = useState(policy?.resolution ?? '')
  const [platforms, setPlatforms] = useState<string[]>(
    policy?.platform ? policy.platform.split(',').filter((p) => p !== '') : [],
  )
  const [critical, setCritical] = useState(policy?.critical ?? false)
  const { mutation: save, onSubmit } = useFormMutation(
    () =>
      savePolicy(policy, teamId, {
        name,
        query,
        description,
        resolution,
        platform: platforms.join(','),
        critical,
      }),
    { invalidate: [['policies'], ['policy']], onDone },
  )
  return (
    <Card title={policy ? 'Edit policy' : 'New policy'}>
      {save.isError ? <ErrorNotice error={save.error} /> : null}
      <form onSubmit={onSubmit}>
        <TextInput id="policy-name" label="Name" required value={name} onChange={setName} />
        <SqlField
          label="Query (a host passes when it returns rows)"
          value={query}
          onChange={setQuery}
        />
        <TextInput
          id="policy-description"
          label="Description"
          value={description}
          onChange={setDescription}
        />
        <TextInput
          id="policy-resolution"
          label="Resolution"
          value={resolution}
          onChange={setResolution}
        />
        <PlatformChecks value={platforms} onChange={setPlatforms} />
        <label className={styles.checkbox}>
          <input
            type="checkbox"
            checked={critical}
            onChange={(e) => setCritical(e.target.checked)}
          />
          Critical
        </label>
        <FormButtons label="Save policy" saving={save.isPending} onCancel={onDone} />
      </form>
    </Card>
  )
}
