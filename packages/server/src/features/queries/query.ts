import type { QueryLogging } from '@fleet/api'

/** A saved query as the service and routes see it. */
export interface SavedQuery {
  id: number
  createdAt: number
  updatedAt: number
  /** null for a global query. */
  teamId: number | null
  name: string
  description: string
  query: string
  observerCanRun: boolean
  /** Seconds between scheduled runs; 0 = not scheduled. */
  interval: number
  /** Comma-separated darwin, windows, linux, chrome; '' for every platform. */
  platform: string
  minOsqueryVersion: string
  automationsEnabled: boolean
  logging: QueryLogging
  discardData: boolean
  authorId: number | null
  authorName: string
  authorEmail: string
}

/** The fields a create, an edit or a spec sets. */
export type QueryChanges = Pick<
  SavedQuery,
  | 'name'
  | 'description'
  | 'query'
  | 'observerCanRun'
  | 'interval'
  | 'platform'
  | 'minOsqueryVersion'
  | 'automationsEnabled'
  | 'logging'
  | 'discardData'
>

/** Those fields as request bodies and specs carry them (snake_case). */
export interface QueryChangesJson {
  name: string
  description: string
  query: string
  observer_can_run: boolean
  interval: number
  platform: string
  min_osquery_version: string
  automations_enabled: boolean
  logging: QueryLogging
  discard_data: boolean
}

/** The changes a create or a spec makes (every field), or an edit makes (the fields it names). */
export function queryChangesOf(input: QueryChangesJson): QueryChanges
export function queryChangesOf(input: Partial<QueryChangesJson>): Partial<QueryChanges>
export function queryChangesOf(input: Partial<QueryChangesJson>): Partial<QueryChanges> {
  return {
    name: input.name,
    description: input.description,
    query: input.query,
    observerCanRun: input.observer_can_run,
    interval: input.interval,
    platform: input.platform,
    minOsqueryVersion: input.min_osquery_version,
    automationsEnabled: input.automations_enabled,
    logging: input.logging,
    discardData: input.discard_data,
  }
}

/** One query in an osquery pack, as osquery reads it from the config. */
export interface PackQuery {
  query: string
  interval: number
  platform: string
  version: string
  /** Present (true) for snapshot logging. */
  snapshot?: boolean
  /** true for differential, false for differential_ignore_removals, absent for snapshot. */
  removed?: boolean
}

export interface Pack {
  queries: Record<string, PackQuery>
}

/** Fleet's pack names: `Global` for global queries, `team-<id>` for a team's. */
export function packName(teamId: number | null): string {
  return teamId === null ? 'Global' : `team-${teamId}`
}

/** Whether results of the query are kept as its report (Fleet: snapshot logging, data kept). */
export function keepsReport(
  query: Pick<SavedQuery, 'logging' | 'discardData'>,
  reportsDisabled: boolean,
): boolean {
  return !reportsDisabled && !query.discardData && query.logging === 'snapshot'
}

/**
 * Whether the query goes to hosts in their config: scheduled, and its results go somewhere (to
 * the log destination when automations are on, or into its report).
 */
export function sentToHosts(
  query: Pick<SavedQuery, 'interval' | 'automationsEnabled' | 'logging' | 'discardData'>,
  reportsDisabled: boolean,
): boolean {
  return query.interval > 0 && (query.automationsEnabled || keepsReport(query, reportsDisabled))
}

/**
 * Whether a query limited to `platforms` runs on a host of `hostPlatform`. Hosts whose platform
 * isn't known yet get every query: osquery skips the ones for other platforms itself.
 */
export function runsOnPlatform(
  platforms: string,
  hostPlatform: string,
  isLinux: (platform: string) => boolean,
): boolean {
  if (platforms === '' || hostPlatform === '') {
    return true
  }
  return platforms.split(',').some((platform) => {
    switch (platform) {
      case 'linux':
        return isLinux(hostPlatform)
      default:
        return platform === hostPlatform
    }
  })
}

/** The query as an entry of a pack in the osquery config (Fleet's shape per logging type). */
export function toPackQuery(
  query: Pick<SavedQuery, 'query' | 'interval' | 'platform' | 'minOsqueryVersion' | 'logging'>,
): PackQuery {
  const entry: PackQuery = {
    query: query.query,
    interval: query.interval,
    platform: query.platform,
    version: query.minOsqueryVersion,
  }
  switch (query.logging) {
    case 'snapshot':
      entry.snapshot = true
      break
    case 'differential':
      entry.removed = true
      break
    case 'differential_ignore_removals':
      entry.removed = false
      break
  }
  return entry
}

/**
 * Whether an edit invalidates the stored report: new SQL, data now discarded, or logging no longer
 * snapshot (Fleet deletes the report in each case).
 */
export function reportInvalidated(
  before: Pick<SavedQuery, 'query' | 'discardData' | 'logging'>,
  after: Pick<SavedQuery, 'query' | 'discardData' | 'logging'>,
): boolean {
  return (
    before.query !== after.query ||
    (!before.discardData && after.discardData) ||
    (before.logging === 'snapshot' && after.logging !== 'snapshot')
  )
}

const TEAM_PACK = /^team-(\d+)/

/**
 * Reads the name osquery gives a scheduled query's results, `pack<d>Global<d><query>` or
 * `pack<d>team-<id><d><query>`, where `<d>` is the host's `pack_delimiter` ("/" by default, and
 * any other string works). Returns undefined for any other name (legacy packs, foreign configs).
 */
export function parseScheduledQueryName(
  name: string,
): { teamId: number | null; queryName: string } | undefined {
  if (!name.startsWith('pack') || name.length <= 4) {
    return undefined
  }
  const rest = name.slice(4)
  // The delimiter is whatever sits between "pack" and the pack name; try the shortest first.
  for (let length = 1; length <= Math.min(16, rest.length - 2); length++) {
    const delimiter = rest.slice(0, length)
    const afterDelimiter = rest.slice(length)
    const globalPrefix = `Global${delimiter}`
    if (afterDelimiter.startsWith(globalPrefix)) {
      const queryName = afterDelimiter.slice(globalPrefix.length)
      if (queryName !== '') {
        return { teamId: null, queryName }
      }
    }
    const team = TEAM_PACK.exec(afterDelimiter)
    if (team?.[1] && afterDelimiter.startsWith(delimiter, team[0].length)) {
      const queryName = afterDelimiter.slice(team[0].length + delimiter.length)
      const teamId = Number(team[1])
      if (queryName !== '' && Number.isSafeInteger(teamId)) {
        return { teamId, queryName }
      }
    }
  }
  return undefined
}
