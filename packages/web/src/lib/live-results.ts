import type { CampaignTotals, LiveQuerySocketMessage, ResultRow } from '@fleet/api'

/** The results socket's state, as the page words it. */
export type LiveConnection = 'connecting' | 'open' | 'reconnecting' | 'stopped' | 'failed'

/** One host's failed answer: osquery's message (the errors tab). */
export interface HostError {
  hostId: number
  hostname: string
  displayName: string
  error: string
}

/** What a live query has gathered so far; built only by {@link liveResultsReducer}. */
export interface LiveResults {
  connection: LiveConnection
  totals: CampaignTotals | undefined
  /** The server said every online host answered (more may still come as hosts come online). */
  finished: boolean
  rows: readonly ResultRow[]
  /** Every column any host answered with, the host's name first. */
  columns: readonly string[]
  errors: readonly HostError[]
  /** Hosts that answered, with rows, none or an error; kept across reconnections. */
  responded: ReadonlySet<number>
  /** Why the stream ended against our will: the server's error, or the reconnection gave up. */
  failure: string | undefined
  /** How many times the connection dropped (a notice says so while reconnecting). */
  drops: number
}

export type LiveEvent =
  | { type: 'message'; message: LiveQuerySocketMessage }
  | { type: 'open' }
  | { type: 'dropped' }
  | { type: 'stopped' }
  | { type: 'gave_up'; reason: string }

export const initialLiveResults: LiveResults = {
  connection: 'connecting',
  totals: undefined,
  finished: false,
  rows: [],
  columns: [],
  errors: [],
  responded: new Set(),
  failure: undefined,
  drops: 0,
}

/** Columns Fleet adds to every row, shown first. */
const HOST_COLUMNS = ['host_display_name', 'host_hostname']

/**
 * Folds one socket event into the results. A host's answer counts once even if the server sends
 * it again after a reconnection; a stopped or failed stream ignores anything that still arrives.
 */
export function liveResultsReducer(state: LiveResults, event: LiveEvent): LiveResults {
  const ended = state.connection === 'stopped' || state.connection === 'failed'
  switch (event.type) {
    case 'open':
      return ended ? state : { ...state, connection: 'open' }
    case 'dropped':
      return ended ? state : { ...state, connection: 'reconnecting', drops: state.drops + 1 }
    case 'stopped':
      return state.connection === 'failed' ? state : { ...state, connection: 'stopped' }
    case 'gave_up':
      return ended ? state : { ...state, connection: 'failed', failure: event.reason }
    case 'message':
      return ended ? state : onMessage(state, event.message)
  }
}

function onMessage(state: LiveResults, message: LiveQuerySocketMessage): LiveResults {
  switch (message.type) {
    case 'totals':
      return { ...state, totals: message.data }
    case 'status':
      return { ...state, finished: message.data.status === 'finished' }
    case 'error':
      return { ...state, connection: 'failed', failure: message.data }
    case 'result': {
      const { host, rows, error } = message.data
      if (state.responded.has(host.id)) {
        return state
      }
      const responded = new Set(state.responded).add(host.id)
      if (error !== null) {
        const failed: HostError = {
          hostId: host.id,
          hostname: host.hostname,
          displayName: host.display_name || host.hostname,
          error,
        }
        return { ...state, responded, errors: [...state.errors, failed] }
      }
      return {
        ...state,
        responded,
        rows: state.rows.concat(rows),
        columns: withColumns(state.columns, rows),
      }
    }
  }
}

function withColumns(columns: readonly string[], rows: readonly ResultRow[]): readonly string[] {
  const known = new Set(columns)
  const added: string[] = []
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!known.has(key)) {
        known.add(key)
        added.push(key)
      }
    }
  }
  if (added.length === 0) {
    return columns
  }
  const all = [...columns, ...added]
  return [
    ...HOST_COLUMNS.filter((c) => known.has(c)),
    ...all.filter((c) => !HOST_COLUMNS.includes(c)),
  ]
}

/** Responded / online / total, as the progress line shows them. */
export function liveProgress(state: LiveResults): {
  responded: number
  online: number
  total: number
} {
  return {
    responded: state.responded.size,
    online: state.totals?.online ?? 0,
    total: state.totals?.count ?? 0,
  }
}
