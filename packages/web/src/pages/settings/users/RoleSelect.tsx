import { Field } from '../../../components/ui.js'
import { ROLE_NAMES, ROLES } from '../../../lib/admin-roles.js'

/**
 * A labelled role picker. `none` adds a first choice meaning "no role" (value ''), used for a
 * team the user is not on.
 */
export function RoleSelect({
  id,
  label,
  value,
  onChange,
  none,
  disabled,
  inline,
}: {
  id: string
  label: string
  value: string
  onChange: (role: string) => void
  none?: string
  disabled?: boolean
  /** In a table cell: no visible label (the column says it), only an accessible name. */
  inline?: boolean
}) {
  const options = (
    <>
      {none !== undefined ? <option value="">{none}</option> : null}
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {ROLE_NAMES[role]}
        </option>
      ))}
    </>
  )
  if (inline) {
    return (
      <select
        id={id}
        aria-label={label}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
      >
        {options}
      </select>
    )
  }
  return (
    <Field id={id} label={label}>
      {(inputId) => (
        <select
          id={inputId}
          value={value}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value)}
        >
          {options}
        </select>
      )}
    </Field>
  )
}
