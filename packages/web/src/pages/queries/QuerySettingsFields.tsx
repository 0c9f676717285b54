import { Field } from '../../components/ui.js'
import {
  INTERVALS,
  intervalText,
  LOGGING_TYPES,
  PLATFORMS,
  type QueryFormState,
} from '../../lib/query-form.js'
import styles from './queries.module.css'

type Change = (patch: Partial<QueryFormState>) => void

/** The server's words about one field, tied to its control by `id`. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p id={id} className={styles.fieldError}>
      {message}
    </p>
  ) : null
}

function Check({
  id,
  label,
  checked,
  onChange,
}: {
  id: string
  label: string
  checked: boolean
  onChange: (checked: boolean) => void
}) {
  return (
    <div className={styles.check}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
    </div>
  )
}

/**
 * Fleet's schedule and logging settings of a query: frequency, platforms, minimum osquery version,
 * logging type, automations, discard data and whether observers may run it.
 */
export function QuerySettingsFields({
  form,
  change,
  errors,
}: {
  form: QueryFormState
  change: Change
  errors: Record<string, string>
}) {
  const intervals = INTERVALS.some((i) => i.seconds === form.interval)
    ? INTERVALS
    : [...INTERVALS, { seconds: form.interval, label: intervalText(form.interval) }]
  const describedBy = (field: string) => (errors[field] ? `query-${field}-error` : undefined)
  return (
    <>
      <Field id="query-interval" label="Frequency">
        {(id) => (
          <select
            id={id}
            value={form.interval}
            aria-describedby={describedBy('interval')}
            onChange={(e) => change({ interval: Number(e.target.value) })}
          >
            {intervals.map((i) => (
              <option key={i.seconds} value={i.seconds}>
                {i.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <FieldError id="query-interval-error" message={errors.interval} />
      <fieldset className={styles.checks} aria-describedby={describedBy('platform')}>
        <legend>Platforms (none ticked: all)</legend>
        <div className={styles.platformChecks}>
          {PLATFORMS.map((p) => (
            <Check
              key={p.value}
              id={`query-platform-${p.value}`}
              label={p.label}
              checked={form.platforms.includes(p.value)}
              onChange={(checked) =>
                change({
                  platforms: checked
                    ? [...form.platforms, p.value]
                    : form.platforms.filter((x) => x !== p.value),
                })
              }
            />
          ))}
        </div>
      </fieldset>
      <FieldError id="query-platform-error" message={errors.platform} />
      <Field id="query-min-osquery-version" label="Minimum osquery version">
        {(id) => (
          <input
            id={id}
            value={form.minOsqueryVersion}
            placeholder="Any version, or e.g. 5.4.0"
            aria-describedby={describedBy('min_osquery_version')}
            aria-invalid={errors.min_osquery_version ? true : undefined}
            onChange={(e) => change({ minOsqueryVersion: e.target.value })}
          />
        )}
      </Field>
      <FieldError id="query-min_osquery_version-error" message={errors.min_osquery_version} />
      <Field id="query-logging" label="Logging">
        {(id) => (
          <select
            id={id}
            value={form.logging}
            aria-describedby={describedBy('logging')}
            onChange={(e) =>
              change({
                logging: LOGGING_TYPES.find((l) => l.value === e.target.value)?.value ?? 'snapshot',
              })
            }
          >
            {LOGGING_TYPES.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <FieldError id="query-logging-error" message={errors.logging} />
      <Check
        id="query-automations"
        label="Automations: send results to the log destination"
        checked={form.automationsEnabled}
        onChange={(automationsEnabled) => change({ automationsEnabled })}
      />
      <Check
        id="query-discard-data"
        label="Discard data (keep no report)"
        checked={form.discardData}
        onChange={(discardData) => change({ discardData })}
      />
      <Check
        id="query-observer-can-run"
        label="Observers can run this query"
        checked={form.observerCanRun}
        onChange={(observerCanRun) => change({ observerCanRun })}
      />
    </>
  )
}
