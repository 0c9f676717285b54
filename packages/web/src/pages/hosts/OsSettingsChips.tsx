import { getConfigurationProfile } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { client } from '../../app/client.js'
import { STATUS_NAMES } from '../../lib/os-settings.js'
import { withFilter, type HostListState } from '../../lib/host-list-params.js'
import styles from './hosts.module.css'

/**
 * The OS settings filters that Controls' links put in the URL (`os_settings`, `profile_uuid` +
 * `profile_status`), shown as chips that say what the list is filtered by, each removable.
 */
export function OsSettingsChips({
  state,
  set,
}: {
  state: HostListState
  set: (state: HostListState) => void
}) {
  const uuid = state.profileUuid
  const profile = useQuery({
    queryKey: ['profile', uuid],
    queryFn: () => client.call(getConfigurationProfile, { params: { profile_uuid: uuid ?? '' } }),
    enabled: uuid !== undefined,
    retry: false,
  })
  const chips: { text: string; clear: Partial<HostListState> }[] = []
  if (state.osSettings !== '') {
    chips.push({
      text: `OS settings: ${STATUS_NAMES[state.osSettings]}`,
      clear: { osSettings: '' },
    })
  }
  if (state.profileUuid !== undefined) {
    const status = state.profileStatus === '' ? 'any status' : STATUS_NAMES[state.profileStatus]
    chips.push({
      text: `Profile ${profile.data?.name ?? state.profileUuid}: ${status}`,
      clear: { profileUuid: undefined, profileStatus: '' },
    })
  }
  if (chips.length === 0) {
    return null
  }
  return (
    <ul className={styles.chips} aria-label="OS settings filters">
      {chips.map((chip) => (
        <li key={chip.text}>
          {chip.text}
          <button
            type="button"
            aria-label={`Remove filter ${chip.text}`}
            onClick={() => set(withFilter(state, chip.clear))}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  )
}
