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

/** Hosts as chips, each with one button: "Add x" (+) or "Remove x" (×). */
function HostChips({
  label,
  hosts,
  action,
  onPick,
}: {
  label: string
  hosts: readonly PickedHost[]
  action: 'Add' | 'Remove'
  onPick: (host: PickedHost) => void
}) {
  return (
    <ul className={styles.chips} aria-label={label}>
      {hosts.map((host) => (
        <li key={host.id}>
          {host.display_name}
          <Button
            variant="secondary"
            aria-label={`${action} ${host.display_name}`}
            onClick={() => onPick(host)}
          >
            {action === 'Add' ? '+' : '×'}
          </Button>
        </li>
      ))}
    </ul>
  )
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
  const found = (matches.data ?? [])
    .filter((h) => !chosen.has(h.id))
    .map((h) => ({ id: h.id, display_name: h.display_name }))
  return (
    <fieldset className={styles.checks}>
      <legend>Hosts</legend>
      {value.length === 0 ? <p>No hosts chosen.</p> : null}
      <HostChips
        label="Chosen hosts"
        hosts={value}
        action="Remove"
        onPick={(host) => onChange(value.filter((h) => h.id !== host.id))}
      />
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
        <HostChips
          label="Matching hosts"
          hosts={found}
          action="Add"
          onPick={(host) => onChange([...value, host])}
        />
      ) : null}
    </fieldset>
  )
}
