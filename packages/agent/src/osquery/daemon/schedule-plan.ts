import { createHash } from 'node:crypto'
import type { ParsedConfig, QueryDef } from './config.js'

/** A query the scheduler runs, under the name its result logs carry. */
export interface ScheduledQuery {
  name: string
  query: string
  /** Seconds between runs (before splay). */
  interval: number
  snapshot: boolean
  removed: boolean
}

/** What decides which configured queries apply to this host. */
export interface PlanContext {
  /** osquery's platform name: darwin, linux, windows, freebsd. */
  platform: string
  /** The osquery version the engine reports. */
  version: string
  /** This host's shard, 0–99 (see hostShard). */
  hostShard: number
  /** pack_delimiter: "pack" + d + pack + d + query. */
  packDelimiter: string
  /** schedule_default_interval, for queries without one. */
  defaultInterval: number
  /** Whether a pack discovery query returns at least one row. */
  discovery: (sql: string) => boolean
}

/** osquery's platform filter: "", "all", "any", "posix", or a comma list of platform names. */
export function platformMatches(spec: string | undefined, platform: string): boolean {
  if (!spec) {
    return true
  }
  return spec
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .some(
      (p) =>
        p === '' ||
        p === 'all' ||
        p === 'any' ||
        p === platform ||
        (p === 'posix' && platform !== 'windows'),
    )
}

/** Whether `have` (e.g. "5.14.1") is at least `want` (a minimum version such as "4.6"). */
export function versionAtLeast(have: string, want: string | undefined): boolean {
  if (!want) {
    return true
  }
  const parts = (v: string): number[] => v.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0)
  const a = parts(have)
  const b = parts(want)
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0)
    if (diff !== 0) {
      return diff > 0
    }
  }
  return true
}

/** This host's shard 0–99, stable for its identifier (osquery hashes the hostname). */
export function hostShard(identifier: string): number {
  const digest = createHash('sha1').update(identifier).digest()
  return digest.readUInt16BE(0) % 100
}

function shardAllows(shard: number | undefined, host: number): boolean {
  return shard === undefined || shard <= 0 || host < shard
}

function toScheduled(def: QueryDef, name: string, ctx: PlanContext): ScheduledQuery {
  return {
    name,
    query: def.query,
    interval: def.interval ?? ctx.defaultInterval,
    snapshot: def.snapshot,
    removed: def.removed,
  }
}

function queryApplies(def: QueryDef, ctx: PlanContext): boolean {
  return (
    platformMatches(def.platform, ctx.platform) &&
    versionAtLeast(ctx.version, def.version) &&
    shardAllows(def.shard, ctx.hostShard)
  )
}

/**
 * The scheduled queries for this host: the top-level `schedule` under their own names, then each
 * pack whose platform, version, shard and discovery queries allow it, its queries named
 * `pack<d><pack><d><query>` (Fleet sets pack_delimiter "/", giving `pack/Global/uptime`).
 * Queries with interval 0 are dropped, as osquery never runs them.
 */
export function planSchedule(
  config: ParsedConfig,
  ctx: PlanContext,
): { queries: ScheduledQuery[]; skipped: string[] } {
  const queries: ScheduledQuery[] = []
  const skipped: string[] = []
  const consider = (def: QueryDef, name: string): void => {
    const scheduled = toScheduled(def, name, ctx)
    if (!queryApplies(def, ctx) || scheduled.interval <= 0) {
      skipped.push(name)
      return
    }
    queries.push(scheduled)
  }
  for (const def of config.schedule) {
    consider(def, def.name)
  }
  const d = ctx.packDelimiter
  for (const pack of config.packs) {
    const active =
      platformMatches(pack.platform, ctx.platform) &&
      versionAtLeast(ctx.version, pack.version) &&
      shardAllows(pack.shard, ctx.hostShard) &&
      pack.discovery.every((sql) => ctx.discovery(sql))
    for (const def of pack.queries) {
      const name = `pack${d}${pack.name}${d}${def.name}`
      if (active) {
        consider(def, name)
      } else {
        skipped.push(name)
      }
    }
  }
  return { queries, skipped }
}

/** osquery's platform name for this process. */
export function osqueryPlatform(nodePlatform: NodeJS.Platform = process.platform): string {
  return nodePlatform === 'win32' ? 'windows' : nodePlatform
}
