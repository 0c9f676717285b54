import { QUERY_PREFIX, type ResultRow } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { InvalidatedCache, type Subscription } from '../../platform/pubsub/index.js'
import { isLinux, LABEL_REFRESH, type AgentHost, type AgentQueryProvider } from '../hosts/index.js'
import { labelAppliesTo } from './label.js'
import { LABELS_CHANGED } from './labels.channels.js'
import * as store from './labels.store.js'

export type LabelQueryProvider = AgentQueryProvider & {
  /** What drops the in-memory label queries (LABELS_CHANGED); the labels module subscribes it. */
  subscriptions: readonly Subscription[]
  reload(): Promise<void>
}

/**
 * Dynamic labels on the check-in path: their queries are kept in memory (reloaded when any
 * instance publishes a label change) and sent as `fleet_label_query_<id>`; a host is a member
 * when its query returns at least one row.
 */
export function createLabelQueryProvider(
  deps: Pick<Deps, 'db' | 'config' | 'log'>,
): LabelQueryProvider {
  const labels = new InvalidatedCache(() => store.dynamicLabelQueries(deps.db), [LABELS_CHANGED])
  const current = () => labels.get()

  return {
    prefix: QUERY_PREFIX.label,
    schedule: { name: LABEL_REFRESH, intervalMs: deps.config.osquery.label_update_interval },
    subscriptions: labels.subscriptions,
    async reload() {
      labels.clear()
      await current()
    },
    async queries(host: AgentHost, { full, since }) {
      const due = new Map<string, { sql: string }>()
      for (const label of await current()) {
        if (
          (full || label.updatedAt > since) &&
          labelAppliesTo(label.platform, host.platform, isLinux)
        ) {
          due.set(String(label.id), { sql: label.query })
        }
      }
      return due
    },
    async ingest(host: AgentHost, results: ReadonlyMap<string, ResultRow[] | null>, now: number) {
      const ids = [...results.keys()].map(Number).filter((id) => Number.isSafeInteger(id) && id > 0)
      const existing = await store.existingDynamicLabelIds(deps.db, ids)
      const matched: number[] = []
      const unmatched: number[] = []
      for (const [suffix, rows] of results) {
        const id = Number(suffix)
        if (!existing.has(id) || rows === null) {
          continue
        }
        ;(rows.length > 0 ? matched : unmatched).push(id)
      }
      await store.recordHostMembership(deps.db, host.id, matched, unmatched, now)
    },
  }
}
