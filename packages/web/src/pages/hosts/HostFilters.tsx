import { listLabels } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { client } from '../../app/client.js'
import { usePolicies } from '../../app/policies.js'
import { SearchForm } from '../../components/SearchForm.js'
import { Field } from '../../components/ui.js'
import {
  HOST_STATUSES,
  MDM_ENROLLMENT_STATUSES,
  withFilter,
  type HostListState,
} from '../../lib/host-list-params.js'
import { OsSettingsChips } from './OsSettingsChips.js'
import styles from './hosts.module.css'

type Set = (state: HostListState) => void

function Select({
  id,
  label,
  value,
  onChange,
  children,
  disabled,
}: {
  id: string
  label: string
  value: string
  onChange: (value: string) => void
  children: ReactNode
  disabled?: boolean
}) {
  return (
    <Field id={id} label={label}>
      {(fieldId) => (
        <select
          id={fieldId}
          value={value}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value)}
        >
          {children}
        </select>
      )}
    </Field>
  )
}

/**
 * Platform and label: Fleet filters platforms through their built-in labels, so both set
 * `label_id` and picking one clears the other.
 */
function LabelFilters({ state, set }: { state: HostListState; set: Set }) {
  const labels = useQuery({
    queryKey: ['labels'],
    queryFn: () => client.call(listLabels),
    staleTime: 60_000,
  })
  const all = labels.data?.labels ?? []
  const platforms = all.filter((l) => l.label_type === 'builtin')
  const regular = all.filter((l) => l.label_type === 'regular')
  const current = state.labelId === undefined ? '' : String(state.labelId)
  const isPlatform = platforms.some((l) => String(l.id) === current)
  const onChange = (value: string) =>
    set(withFilter(state, { labelId: Number(value) || undefined }))
  return (
    <>
      <Select
        id="host-platform"
        label="Platform"
        value={isPlatform ? current : ''}
        onChange={onChange}
      >
        <option value="">All platforms</option>
        {platforms.map((l) => (
          <option key={l.id} value={l.id}>
            {l.display_text || l.name}
          </option>
        ))}
      </Select>
      <Select id="host-label" label="Label" value={isPlatform ? '' : current} onChange={onChange}>
        <option value="">All labels</option>
        {regular.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </Select>
    </>
  )
}

/** Hosts passing or failing one policy (`policy_id` + `policy_response`, as Fleet's links). */
function PolicyFilter({ state, set }: { state: HostListState; set: Set }) {
  // Hosts on no team (`team_id=0`) answer the global policies only.
  const policies = usePolicies(state.teamId || undefined)
  const chosen = state.policyId === undefined ? '' : String(state.policyId)
  return (
    <>
      <Select
        id="host-policy"
        label="Policy"
        value={chosen}
        onChange={(value) => {
          const policyId = Number(value) || undefined
          set(
            withFilter(state, {
              policyId,
              policyResponse: policyId === undefined ? '' : state.policyResponse || 'failing',
            }),
          )
        }}
      >
        <option value="">Any policy</option>
        {(policies.data ?? []).map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </Select>
      <Select
        id="host-policy-response"
        label="Policy result"
        value={state.policyResponse}
        disabled={state.policyId === undefined}
        onChange={(value) =>
          set(withFilter(state, { policyResponse: value === 'passing' ? 'passing' : 'failing' }))
        }
      >
        {state.policyId === undefined ? <option value="">—</option> : null}
        <option value="failing">Failing</option>
        <option value="passing">Passing</option>
      </Select>
    </>
  )
}

/** Search and filters of the hosts page; every choice goes into the URL. */
export function HostFilters({ state, set }: { state: HostListState; set: Set }) {
  return (
    <div className={styles.filters}>
      <SearchForm
        id="host-search"
        label="Search hosts"
        placeholder="Hostname, UUID, serial or IP"
        initial={state.query}
        className={styles.search}
        onSearch={(query) => set(withFilter(state, { query }))}
      />
      <Select
        id="host-status"
        label="Status"
        value={state.status}
        onChange={(value) => {
          const status = HOST_STATUSES.find((s) => s === value) ?? ''
          set(withFilter(state, { status }))
        }}
      >
        <option value="">All statuses</option>
        {HOST_STATUSES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </Select>
      <LabelFilters state={state} set={set} />
      <PolicyFilter state={state} set={set} />
      <Select
        id="host-mdm-status"
        label="MDM enrollment"
        value={state.mdmEnrollmentStatus}
        onChange={(value) => {
          const mdmEnrollmentStatus =
            MDM_ENROLLMENT_STATUSES.find((m) => m.value === value)?.value ?? ''
          set(withFilter(state, { mdmEnrollmentStatus }))
        }}
      >
        <option value="">Any MDM status</option>
        {MDM_ENROLLMENT_STATUSES.map((m) => (
          <option key={m.value} value={m.value}>
            {m.name}
          </option>
        ))}
      </Select>
      <OsSettingsChips state={state} set={set} />
    </div>
  )
}
