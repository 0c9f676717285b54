/**
 * The live query's target picker without React: what is picked, what the server is asked to
 * count and run on, and how the counts read. Listed hosts are always targeted; labels are OR-ed,
 * teams OR-ed, and labels AND teams (the server's rule, `LiveQueryTargets`).
 */

export type TargetKind = 'host' | 'label' | 'team'

/** One picked thing, with the name the chip shows. Team `0` is "No team". */
export interface Target {
  kind: TargetKind
  id: number
  name: string
}

export interface TargetIds {
  hosts: number[]
  labels: number[]
  teams: number[]
}

const key = (t: Pick<Target, 'kind' | 'id'>) => `${t.kind}:${t.id}`

/** Adds a target once; picking it again leaves the list as it was. */
export function addTarget(picked: readonly Target[], target: Target): readonly Target[] {
  return picked.some((t) => key(t) === key(target)) ? picked : [...picked, target]
}

export function removeTarget(
  picked: readonly Target[],
  target: Pick<Target, 'kind' | 'id'>,
): readonly Target[] {
  return picked.filter((t) => key(t) !== key(target))
}

export function isPicked(picked: readonly Target[], target: Pick<Target, 'kind' | 'id'>): boolean {
  return picked.some((t) => key(t) === key(target))
}

/** The `selected` body of `/targets/count` and `/queries/run`, ids sorted so the count caches. */
export function targetIds(picked: readonly Target[]): TargetIds {
  const of = (kind: TargetKind) =>
    picked
      .filter((t) => t.kind === kind)
      .map((t) => t.id)
      .sort((a, b) => a - b)
  return { hosts: of('host'), labels: of('label'), teams: of('team') }
}

/**
 * Labels or teams whose name contains the search text (case-insensitive), the picked ones left
 * out, at most `limit` of them: the picker's suggestions besides the server's host search.
 */
export function matchingTargets(
  candidates: readonly Target[],
  search: string,
  picked: readonly Target[],
  limit = 8,
): Target[] {
  const needle = search.trim().toLowerCase()
  return candidates
    .filter((t) => !isPicked(picked, t) && t.name.toLowerCase().includes(needle))
    .slice(0, limit)
}

/**
 * `?host_ids=1,2,3` of "Query this host": the valid positive ids, each once, in order; anything
 * else in the list is ignored rather than refused.
 */
export function parseHostIds(param: string | null, max = 100): number[] {
  if (!param) {
    return []
  }
  const ids: number[] = []
  for (const part of param.split(',')) {
    const text = part.trim()
    if (/^\d{1,9}$/.test(text) && Number(text) > 0 && !ids.includes(Number(text))) {
      ids.push(Number(text))
    }
  }
  return ids.slice(0, max)
}

/** "12 hosts targeted (9 online)", or a prompt before anything is picked. */
export function targetCountText(
  picked: readonly Target[],
  counts: { total: number; online: number } | undefined,
): string {
  if (picked.length === 0) {
    return 'Pick hosts, labels or teams to target.'
  }
  if (!counts) {
    return 'Counting targets…'
  }
  const hosts = counts.total === 1 ? 'host' : 'hosts'
  return `${counts.total} ${hosts} targeted (${counts.online} online)`
}
