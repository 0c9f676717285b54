import type { AgentHost } from '../../features/hosts/index.js'
import type { PackSchedule } from '../../features/packs/index.js'
import type { QuerySchedule } from '../../features/queries/index.js'

type Packs = Readonly<Record<string, unknown>>

/**
 * A host's osquery packs: the scheduled queries (`Global`, `team-<id>`) and the 2017-style packs
 * targeting it. Both sources hand out shared objects that they replace on change; the merge is
 * kept per pair of them, so hosts with the same packs share one object (the config cache's key).
 */
export function createAgentPacks(
  schedule: Pick<QuerySchedule, 'packsFor'>,
  packs: Pick<PackSchedule, 'packsFor'>,
  hostLabelIds: (hostId: number) => Promise<ReadonlySet<number>>,
): (host: Pick<AgentHost, 'id' | 'teamId' | 'platform'>) => Promise<Record<string, unknown>> {
  const merged = new WeakMap<Packs, WeakMap<Packs, Record<string, unknown>>>()
  return async (host) => {
    const scheduled = await schedule.packsFor(host.teamId, host.platform)
    const own = await packs.packsFor(host, () => hostLabelIds(host.id))
    if (Object.keys(own).length === 0) {
      return scheduled
    }
    let byOwn = merged.get(scheduled)
    if (!byOwn) {
      byOwn = new WeakMap()
      merged.set(scheduled, byOwn)
    }
    let both = byOwn.get(own)
    if (!both) {
      // The schedule's names win: pack names `Global` and `team-<id>` are refused anyway.
      both = { ...own, ...scheduled }
      byOwn.set(own, both)
    }
    return both
  }
}
