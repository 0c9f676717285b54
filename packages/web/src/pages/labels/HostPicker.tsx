import { listHosts } from '@fleet/api'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { client } from '../../app/client.js'
import { Button, ErrorNotice, TextInput } from '../../components/ui.js'
import styles from '../admin.module.css'

export interface PickedHost {
  id: number
  display_name: string
}

/**
 * Picks the hosts of a manual label: search by hostname, UUID, serial or IP (the server's host
 * search), add from the first matches, remove from the chosen list.
 */
export function HostPicker({
  value,
  onChange,
}: {
  value: readonly PickedHost[]
  onChange: (hosts: PickedHost[]) => void
}) {
  const [search, setSearch] = useState('')
  const term = search.trim()
  const matches = useQuery({
    queryKey: ['host-picker', term],
    queryFn: async () =>
      (await client.call(listHosts, { query: { query: term, per_page: 8, page: 0 } })).hosts,
    enabled: term !== '',
    placeholderData: keepPreviousData,
  })
  const chosen = new Set(value.map((h) => h.id))
  const found = (matches.data ?? []).filter((h) => !chosen.has(h.id))
  return (
    <fieldset className={styles.checks}>
      <legend>Hosts</legend>
      {value.length === 0 ? <p>No hosts chosen.</p> : null}
      <ul className={styles.chips} aria-label="Chosen hosts">
        {value.map((host) => (
          <li key={host.id}>
            {host.display_name}
            <Button
              variant="secondary"
              aria-label={`Remove ${host.display_name}`}
              onClick={() => onChange(value.filter((h) => h.id !== host.id))}
            >
              ×
            </Button>
          </li>
        ))}
      </ul>
      <TextInput
        id="host-picker-search"
        label="Find hosts to add"
        type="search"
        placeholder="Hostname, UUID, serial or IP"
        value={search}
        onChange={setSearch}
      />
      {matches.isError ? <ErrorNotice error={matches.error} /> : null}
      {term !== '' && matches.data && found.length === 0 ? <p>No other host matches.</p> : null}
      {term !== '' && found.length > 0 ? (
        <ul className={styles.chips} aria-label="Matching hosts">
          {found.map((host) => (
            <li key={host.id}>
              {host.display_name}
              <Button
                variant="secondary"
                aria-label={`Add ${host.display_name}`}
                onClick={() =>
                  onChange([...value, { id: host.id, display_name: host.display_name }])
                }
              >
                +
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  )
}
