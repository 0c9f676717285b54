import { listLabels, listTeams, searchHosts } from '@fleet/api'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { client } from '../../app/client.js'
import { ErrorNotice, TextInput } from '../../components/ui.js'
import {
  addTarget,
  matchingTargets,
  removeTarget,
  targetIds,
  type Target,
} from '../../lib/live-targets.js'
import styles from './live.module.css'

/** The value, once it has stopped changing for `ms` (one host search per pause in typing). */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}

/** Labels and teams the user can target ("No team" for global users). */
function useLabelAndTeamTargets(allTeams: boolean) {
  const labels = useQuery({
    queryKey: ['labels'],
    queryFn: async () => (await client.call(listLabels)).labels,
  })
  const teams = useQuery({
    queryKey: ['teams'],
    queryFn: async () => (await client.call(listTeams)).teams,
  })
  return {
    labels: (labels.data ?? []).map((l): Target => ({ kind: 'label', id: l.id, name: l.name })),
    // A user who may not list teams simply gets none to pick.
    teams: [
      ...(allTeams ? [{ kind: 'team' as const, id: 0, name: 'No team' }] : []),
      ...(teams.data ?? []).map((t): Target => ({ kind: 'team', id: t.id, name: t.name })),
    ],
    error: labels.error,
  }
}

function Suggestions({
  title,
  targets,
  onPick,
}: {
  title: string
  targets: readonly Target[]
  onPick: (target: Target) => void
}) {
  if (targets.length === 0) {
    return null
  }
  return (
    <div className={styles.suggestions}>
      <h3>{title}</h3>
      <ul>
        {targets.map((t) => (
          <li key={`${t.kind}:${t.id}`}>
            <button type="button" className={styles.suggestion} onClick={() => onPick(t)}>
              <span aria-hidden="true">+ </span>
              {t.name}
              <span className="visually-hidden"> ({t.kind}): add to targets</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  )
}

/**
 * Pick hosts (searched on the server, by name, serial, UUID or IP), labels and teams. Picked
 * targets show as chips with a remove button.
 */
export function TargetPicker({
  picked,
  onChange,
  allTeams,
  disabled,
}: {
  picked: readonly Target[]
  onChange: (picked: readonly Target[]) => void
  /** Global users may target "No team"; team users only see their teams. */
  allTeams: boolean
  disabled?: boolean
}) {
  const [search, setSearch] = useState('')
  const text = useDebounced(search, 250)
  const hostIds = targetIds(picked).hosts
  const hosts = useQuery({
    queryKey: ['target-hosts', text, hostIds],
    queryFn: async () =>
      (await client.call(searchHosts, { body: { query: text, excluded_host_ids: hostIds } })).hosts,
    placeholderData: keepPreviousData,
  })
  const others = useLabelAndTeamTargets(allTeams)
  const pick = (target: Target) => onChange(addTarget(picked, target))
  const hostTargets = (hosts.data ?? []).map((h): Target => ({
    kind: 'host',
    id: h.id,
    name: h.display_name || h.hostname,
  }))
  const labels = matchingTargets(others.labels, search, picked)
  const teams = matchingTargets(others.teams, search, picked)
  return (
    <div className={styles.picker}>
      {picked.length > 0 ? (
        <ul className={styles.chips} aria-label="Selected targets">
          {picked.map((t) => (
            <li key={`${t.kind}:${t.id}`} className={styles.chip}>
              <span className={styles.kind}>{t.kind}</span> {t.name}
              <button
                type="button"
                aria-label={`Remove ${t.kind} ${t.name}`}
                disabled={disabled}
                onClick={() => onChange(removeTarget(picked, t))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {disabled ? null : (
        <>
          <TextInput
            id="target-search"
            label="Search hosts, labels and teams"
            type="search"
            autoComplete="off"
            value={search}
            onChange={setSearch}
          />
          {hosts.isError ? (
            <ErrorNotice error={hosts.error} onRetry={() => void hosts.refetch()} />
          ) : null}
          {others.error ? <ErrorNotice error={others.error} /> : null}
          <div className={styles.suggestionGroups}>
            <Suggestions title="Labels" targets={labels} onPick={pick} />
            <Suggestions title="Teams" targets={teams} onPick={pick} />
            <Suggestions title="Hosts" targets={hostTargets} onPick={pick} />
          </div>
        </>
      )}
    </div>
  )
}
