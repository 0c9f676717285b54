import type { Deps } from '../../deps.js'
import { InvalidatedCache, type Subscription } from '../../platform/pubsub/index.js'
import { isLinux } from '../hosts/index.js'
import { TEAMS_CHANGED } from '../teams/index.js'
import {
  packName,
  runsOnPlatform,
  sentToHosts,
  toPackQuery,
  type Pack,
  type SavedQuery,
} from './query.js'
import { QUERIES_CHANGED } from './queries.channels.js'
import * as store from './queries.store.js'

/** What the schedule needs from the app config (cached there). */
export interface ReportSettings {
  /** `server_settings.query_reports_disabled` */
  disabled: boolean
  /** `server_settings.query_report_cap`: rows kept per query report. */
  cap: number
}

export type ReportSettingsSource = () => Promise<ReportSettings>

export interface QuerySchedule {
  /** What drops the in-memory queries (a query or team change); the queries module subscribes it. */
  readonly subscriptions: readonly Subscription[]
  /** Drops the in-memory copy (tests; other instances hear QUERIES_CHANGED). */
  reload(): Promise<void>
  /**
   * The scheduled queries for hosts of a team (null: no team) on a platform, as osquery packs:
   * `Global` and `team-<id>`. Memory only after the first call; the same object is returned until
   * queries, teams or the report setting change, so callers may cache on its identity.
   */
  packsFor(teamId: number | null, platform: string): Promise<Record<string, Pack>>
  /** The query named `name` in a team (null: global), from memory. */
  find(teamId: number | null, name: string): Promise<SavedQuery | undefined>
}

interface Snapshot {
  byName: Map<string, SavedQuery>
  packs: Map<string, Record<string, Pack>>
}

const nameKey = (teamId: number | null, name: string) => `${teamId ?? ''}\u0000${name}`

function buildPacks(
  queries: Iterable<SavedQuery>,
  teamId: number | null,
  platform: string,
  reportsDisabled: boolean,
): Record<string, Pack> {
  const packs: Record<string, Pack> = {}
  for (const query of queries) {
    if (
      (query.teamId !== null && query.teamId !== teamId) ||
      !sentToHosts(query, reportsDisabled) ||
      !runsOnPlatform(query.platform, platform, isLinux)
    ) {
      continue
    }
    const pack = (packs[packName(query.teamId)] ??= { queries: {} })
    pack.queries[query.name] = toPackQuery(query)
  }
  return packs
}

/**
 * Saved queries on the agent path: every query is kept in memory (a few thousand at most),
 * reloaded with one SELECT after any instance publishes a query or team change. The config
 * response and result-log ingestion read only this.
 */
export function createQuerySchedule(
  deps: Pick<Deps, 'db'>,
  reportSettings: ReportSettingsSource,
): QuerySchedule {
  const snapshot = new InvalidatedCache(async (): Promise<Snapshot> => {
    const queries = await store.allQueries(deps.db)
    return { byName: new Map(queries.map((q) => [nameKey(q.teamId, q.name), q])), packs: new Map() }
  }, [QUERIES_CHANGED, TEAMS_CHANGED])
  const current = () => snapshot.get()

  return {
    subscriptions: snapshot.subscriptions,
    async reload() {
      snapshot.clear()
      await current()
    },
    async packsFor(teamId, platform) {
      const state = await current()
      const { disabled } = await reportSettings()
      const key = `${teamId ?? ''}:${platform}:${disabled ? 1 : 0}`
      let packs = state.packs.get(key)
      if (!packs) {
        packs = buildPacks(state.byName.values(), teamId, platform, disabled)
        state.packs.set(key, packs)
      }
      return packs
    },
    async find(teamId, name) {
      return (await current()).byName.get(nameKey(teamId, name))
    },
  }
}
