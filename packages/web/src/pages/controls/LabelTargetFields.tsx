import { listLabels } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { useId } from 'react'
import { client } from '../../app/client.js'
import { QueryStatus } from '../../components/QueryStatus.js'
import { Empty, Field } from '../../components/ui.js'
import { LABEL_MODES, type ProfileTarget } from '../../lib/os-settings.js'
import styles from './controls.module.css'

/**
 * Who gets the profile: all the team's hosts, or "Custom" — hosts that are in all, in any, or
 * in none of the labels ticked (Fleet's include all / include any / exclude any).
 */
export function LabelTargetFields({
  value,
  onChange,
}: {
  value: ProfileTarget
  onChange: (next: ProfileTarget) => void
}) {
  const id = useId()
  const labels = useQuery({
    queryKey: ['labels'],
    queryFn: () => client.call(listLabels),
    enabled: value.target === 'custom',
  })
  const custom = (labels.data?.labels ?? []).filter((l) => l.label_type === 'regular')
  const toggle = (name: string, on: boolean) =>
    onChange({
      ...value,
      labels: on ? [...value.labels, name] : value.labels.filter((l) => l !== name),
    })
  return (
    <fieldset className={styles.fieldset}>
      <legend>Target</legend>
      {(['all', 'custom'] as const).map((target) => (
        <label key={target} className={styles.choice}>
          <input
            type="radio"
            name={`${id}-target`}
            checked={value.target === target}
            onChange={() => onChange({ ...value, target })}
          />
          {target === 'all' ? 'All hosts' : 'Custom'}
        </label>
      ))}
      {value.target === 'custom' ? (
        <>
          <Field id={`${id}-mode`} label="Label mode">
            {(fieldId) => (
              <select
                id={fieldId}
                value={value.mode}
                onChange={(e) =>
                  onChange({
                    ...value,
                    mode: LABEL_MODES.find((m) => m.key === e.target.value)?.key ?? value.mode,
                  })
                }
              >
                {LABEL_MODES.map((m) => (
                  <option key={m.key} value={m.key}>
                    {m.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <QueryStatus query={labels} what="labels" />
          {labels.isSuccess && custom.length === 0 ? (
            <Empty>No custom labels yet: add one on the Labels page.</Empty>
          ) : null}
          <ul className={styles.checklist} aria-label="Labels">
            {custom.map((label) => (
              <li key={label.id}>
                <label className={styles.choice}>
                  <input
                    type="checkbox"
                    checked={value.labels.includes(label.name)}
                    onChange={(e) => toggle(label.name, e.target.checked)}
                  />
                  {label.name}
                </label>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </fieldset>
  )
}
