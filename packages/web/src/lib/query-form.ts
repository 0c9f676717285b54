import type { CreateQueryRequest, ModifyQueryRequest, Query, QueryLogging } from '@fleet/api'
import { FleetApiError } from '@fleet/client/browser'

/** The query form's values, as the inputs hold them. */
export interface QueryFormState {
  name: string
  description: string
  query: string
  /** null: a global query. Fixed once the query exists (Fleet never moves a query between teams). */
  teamId: number | null
  interval: number
  /** Platforms ticked; none = every platform. */
  platforms: string[]
  minOsqueryVersion: string
  logging: QueryLogging
  automationsEnabled: boolean
  discardData: boolean
  observerCanRun: boolean
}

/** Fleet's frequency choices (seconds); 0 = not scheduled. */
export const INTERVALS: readonly { seconds: number; label: string }[] = [
  { seconds: 0, label: 'Never (not scheduled)' },
  { seconds: 300, label: 'Every 5 minutes' },
  { seconds: 600, label: 'Every 10 minutes' },
  { seconds: 900, label: 'Every 15 minutes' },
  { seconds: 1800, label: 'Every 30 minutes' },
  { seconds: 3600, label: 'Every hour' },
  { seconds: 21_600, label: 'Every 6 hours' },
  { seconds: 43_200, label: 'Every 12 hours' },
  { seconds: 86_400, label: 'Every day' },
  { seconds: 604_800, label: 'Every week' },
]

/** A schedule interval in words: "Every hour", "Never", or "Every 90 seconds" for other values. */
export function intervalText(seconds: number): string {
  if (seconds <= 0) {
    return 'Never'
  }
  const known = INTERVALS.find((i) => i.seconds === seconds)
  return known ? known.label : `Every ${seconds} second${seconds === 1 ? '' : 's'}`
}

export const LOGGING_TYPES: readonly { value: QueryLogging; label: string }[] = [
  { value: 'snapshot', label: 'Snapshot' },
  { value: 'differential', label: 'Differential' },
  { value: 'differential_ignore_removals', label: 'Differential (ignore removals)' },
]

export function loggingText(logging: QueryLogging): string {
  return LOGGING_TYPES.find((l) => l.value === logging)?.label ?? logging
}

/** Fleet's target platforms, in its order, with their display names. */
export const PLATFORMS: readonly { value: string; label: string }[] = [
  { value: 'darwin', label: 'macOS' },
  { value: 'windows', label: 'Windows' },
  { value: 'linux', label: 'Linux' },
  { value: 'chrome', label: 'ChromeOS' },
]

/** A query's `platform` field in words: "macOS, Linux", or "All platforms" when empty. */
export function platformText(platform: string): string {
  const parts = platform.split(',').filter((p) => p !== '')
  if (parts.length === 0) {
    return 'All platforms'
  }
  return parts.map((p) => PLATFORMS.find((known) => known.value === p)?.label ?? p).join(', ')
}

export function emptyQueryForm(teamId: number | null, sql = ''): QueryFormState {
  return {
    name: '',
    description: '',
    query: sql,
    teamId,
    interval: 0,
    platforms: [],
    minOsqueryVersion: '',
    logging: 'snapshot',
    automationsEnabled: false,
    discardData: false,
    observerCanRun: false,
  }
}

export function formFromQuery(query: Query): QueryFormState {
  return {
    name: query.name,
    description: query.description,
    query: query.query,
    teamId: query.team_id,
    interval: query.interval,
    platforms: query.platform.split(',').filter((p) => p !== ''),
    minOsqueryVersion: query.min_osquery_version,
    logging: query.logging,
    automationsEnabled: query.automations_enabled,
    discardData: query.discard_data,
    observerCanRun: query.observer_can_run,
  }
}

/** The fields both a create and an edit send (everything but the team). */
export function modifyBody(form: QueryFormState): Required<ModifyQueryRequest> {
  return {
    name: form.name,
    description: form.description,
    query: form.query,
    interval: form.interval,
    // In Fleet's order, whatever order they were ticked in.
    platform: PLATFORMS.map((p) => p.value)
      .filter((p) => form.platforms.includes(p))
      .join(','),
    min_osquery_version: form.minOsqueryVersion,
    logging: form.logging,
    automations_enabled: form.automationsEnabled,
    discard_data: form.discardData,
    observer_can_run: form.observerCanRun,
  }
}

export function createBody(form: QueryFormState): CreateQueryRequest {
  return { ...modifyBody(form), team_id: form.teamId }
}

/** The form's labels for the server's field names, so its errors read in the form's words. */
const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  query: 'Query',
  team_id: 'Team',
  interval: 'Frequency',
  platform: 'Platforms',
  min_osquery_version: 'Minimum osquery version',
  logging: 'Logging',
  automations_enabled: 'Automations',
  discard_data: 'Discard data',
  observer_can_run: 'Observers can run',
}

/**
 * The server's refusals of a save, one sentence per field in the form's own words ("Minimum
 * osquery version: must be a version like 5.4.0, or empty"), keyed by the server's field name.
 * Empty for errors that are not about fields (the page shows those as a whole).
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof FleetApiError) || error.status >= 500) {
    return {}
  }
  const messages: Record<string, string> = {}
  for (const { name, reason } of error.errors) {
    const field = name.split('.')[0] ?? name
    const label = FIELD_LABELS[field]
    if (label !== undefined) {
      messages[field] = `${label}: ${reason}`
    }
  }
  return messages
}
