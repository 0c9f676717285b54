/** What a pack targets: hosts with one of its labels, hosts of one of its teams, named hosts. */
export type PackTargetType = 'label' | 'host' | 'team'

export interface PackTargets {
  labelIds: number[]
  hostIds: number[]
  teamIds: number[]
}

/** A 2017-style query pack. */
export interface QueryPack extends PackTargets {
  id: number
  createdAt: number
  updatedAt: number
  name: string
  description: string
  /** Comma-separated platforms; '' for every platform. */
  platform: string
  disabled: boolean
}

export type PackFields = Pick<QueryPack, 'name' | 'description' | 'platform' | 'disabled'>

/** osquery's per-query options in a pack; null leaves osquery's default. */
export interface EntryOptions {
  interval: number
  snapshot: boolean | null
  removed: boolean | null
  platform: string | null
  version: string | null
  shard: number | null
  denylist: boolean | null
}

/** A global saved query scheduled in a pack (Fleet's "scheduled query"). */
export interface PackEntry extends EntryOptions {
  id: number
  createdAt: number
  updatedAt: number
  packId: number
  queryId: number
  /** The name osquery logs results under: `pack/<pack name>/<name>`. */
  name: string
  description: string
}

export type NewPackEntry = Omit<PackEntry, 'id' | 'createdAt' | 'updatedAt'>

/**
 * Names the server's own schedule uses in the osquery config (`Global`, `team-<id>`), so a pack
 * can't take them: its queries would replace the schedule's on hosts.
 */
export function isReservedPackName(name: string): boolean {
  return name === 'Global' || /^team-\d+$/.test(name)
}

/** Fleet's naming of a new pack entry: the query's name, with `-1` appended until unique. */
export function nextEntryName(base: string, taken: ReadonlySet<string>): string {
  let name = base
  while (taken.has(name)) {
    name = `${name}-1`
  }
  return name
}

/** Whether a host is among a pack's targets. */
export function packTargets(
  pack: PackTargets,
  host: { id: number; teamId: number | null },
  hostLabelIds: ReadonlySet<number>,
): boolean {
  return (
    pack.hostIds.includes(host.id) ||
    (host.teamId !== null && pack.teamIds.includes(host.teamId)) ||
    pack.labelIds.some((id) => hostLabelIds.has(id))
  )
}

/** One query of a pack in the osquery config (Fleet's `QueryContent`: unset options left out). */
export interface OsqueryPackQuery {
  query: string
  interval: number
  platform?: string
  version?: string
  snapshot?: boolean
  removed?: boolean
  shard?: number
  denylist?: boolean
}

export function toOsqueryPackQuery(entry: EntryOptions, sql: string): OsqueryPackQuery {
  const out: OsqueryPackQuery = { query: sql, interval: entry.interval }
  if (entry.platform !== null && entry.platform !== '') {
    out.platform = entry.platform
  }
  if (entry.version !== null && entry.version !== '') {
    out.version = entry.version
  }
  // Fleet sends snapshot only when true; removed whenever set.
  if (entry.snapshot === true) {
    out.snapshot = true
  }
  if (entry.removed !== null) {
    out.removed = entry.removed
  }
  if (entry.shard !== null) {
    out.shard = entry.shard
  }
  if (entry.denylist !== null) {
    out.denylist = entry.denylist
  }
  return out
}
