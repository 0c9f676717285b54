import type { Deps } from '../../deps.js'
import { InvalidatedCache, type Subscription } from '../../platform/pubsub/index.js'
import { QUERIES_CHANGED } from '../queries/index.js'
import { packTargets, toOsqueryPackQuery, type OsqueryPackQuery, type QueryPack } from './pack.js'
import { resolveEntries } from './pack-entries.service.js'
import { PACKS_CHANGED } from './packs.channels.js'
import * as store from './packs.store.js'

/** A pack as osquery reads it from the config. */
export interface OsqueryPack {
  platform?: string
  queries: Record<string, OsqueryPackQuery>
}

/** The host a config is built for. */
export interface PackHost {
  id: number
  teamId: number | null
}

export interface PackSchedule {
  /** What drops the in-memory packs (a pack or query change); the packs module subscribes it. */
  readonly subscriptions: readonly Subscription[]
  /** Drops the in-memory copy (tests; other instances hear PACKS_CHANGED). */
  reload(): Promise<void>
  /**
   * The enabled packs targeting a host, by pack name, as osquery packs. The same object comes
   * back for every host reached by the same packs until something changes, so callers may cache
   * on its identity. `hostLabelIds` is asked only while some enabled pack targets labels.
   */
  packsFor(
    host: PackHost,
    hostLabelIds: () => Promise<ReadonlySet<number>>,
  ): Promise<Readonly<Record<string, OsqueryPack>>>
}

interface LoadedPack {
  pack: QueryPack
  content: OsqueryPack
}

interface Snapshot {
  packs: LoadedPack[]
  usesLabels: boolean
  /** Built answers per set of pack ids. */
  byPacks: Map<string, Record<string, OsqueryPack>>
}

const NO_PACKS: Readonly<Record<string, OsqueryPack>> = Object.freeze({})
const NO_LABELS: ReadonlySet<number> = new Set()

async function load(db: Deps['db']): Promise<Snapshot> {
  const packs = (await store.allPacks(db)).filter((p) => !p.disabled)
  const entries = await resolveEntries(db, await store.listEntries(db))
  const loaded: LoadedPack[] = []
  for (const pack of packs) {
    const queries: Record<string, OsqueryPackQuery> = {}
    for (const { entry, query } of entries) {
      if (entry.packId === pack.id) {
        queries[entry.name] = toOsqueryPackQuery(entry, query.query)
      }
    }
    if (Object.keys(queries).length === 0) {
      continue
    }
    loaded.push({
      pack,
      content: pack.platform === '' ? { queries } : { platform: pack.platform, queries },
    })
  }
  return {
    packs: loaded,
    usesLabels: loaded.some(({ pack }) => pack.labelIds.length > 0),
    byPacks: new Map(),
  }
}

/**
 * Packs on the agent path: every enabled pack with its queries is kept in memory, reloaded with a
 * few SELECTs after any instance publishes a pack or query change. Targeting by host and team
 * costs nothing; targeting by label costs one indexed read of the host's labels per config
 * request, and only while some enabled pack targets a label.
 */
export function createPackSchedule(deps: Pick<Deps, 'db'>): PackSchedule {
  const snapshot = new InvalidatedCache(() => load(deps.db), [PACKS_CHANGED, QUERIES_CHANGED])
  return {
    subscriptions: snapshot.subscriptions,
    async reload() {
      snapshot.clear()
      await snapshot.get()
    },
    async packsFor(host, hostLabelIds) {
      const state = await snapshot.get()
      if (state.packs.length === 0) {
        return NO_PACKS
      }
      const labels = state.usesLabels ? await hostLabelIds() : NO_LABELS
      const matched = state.packs.filter(({ pack }) => packTargets(pack, host, labels))
      if (matched.length === 0) {
        return NO_PACKS
      }
      const key = matched.map(({ pack }) => pack.id).join(',')
      let packs = state.byPacks.get(key)
      if (!packs) {
        packs = Object.fromEntries(matched.map(({ pack, content }) => [pack.name, content]))
        state.byPacks.set(key, packs)
      }
      return packs
    },
  }
}
