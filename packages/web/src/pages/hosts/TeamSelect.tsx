import { listTeams } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { client } from '../../app/client.js'
import { Field } from '../../components/ui.js'

/** The teams the user can see, for pickers; kept a minute, as teams rarely change meanwhile. */
export function useTeams() {
  return useQuery({
    queryKey: ['teams'],
    queryFn: () => client.call(listTeams),
    staleTime: 60_000,
  })
}

/** A labelled team picker whose value is a team id as text, '' for "No team". */
export function TeamSelect({
  id,
  label,
  value,
  onChange,
}: {
  id: string
  label: string
  value: string
  onChange: (value: string) => void
}) {
  const teams = useTeams()
  return (
    <Field id={id} label={label}>
      {(fieldId) => (
        <select id={fieldId} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">No team</option>
          {(teams.data?.teams ?? []).map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}
