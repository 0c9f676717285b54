import { z } from 'zod'
import type { PlatformFamily } from './os-template.js'

/** A query the host runs on its own, from the config's `schedule` or `packs`. */
export interface ScheduledQuery {
  /** Name as it appears in result logs: `name`, or `pack<delim><pack><delim>name` for packs. */
  name: string
  query: string
  intervalS: number
}

const QueryEntry = z.object({
  query: z.string(),
  interval: z.coerce.number(),
  platform: z.string().optional(),
})

const Pack = z.object({
  platform: z.string().optional(),
  queries: z.record(z.string(), z.unknown()),
})

/** Only what the simulator reads of an osquery config; everything else is ignored. */
const ConfigSchedule = z.object({
  options: z.object({ pack_delimiter: z.string().optional() }).optional(),
  schedule: z.record(z.string(), z.unknown()).optional(),
  packs: z.record(z.string(), z.unknown()).optional(),
})

/**
 * The scheduled queries of a config (the body of `/api/osquery/config`) that run on `family`.
 * Lenient: malformed entries are skipped, as osquery skips them.
 */
export function scheduledQueries(config: unknown, family: PlatformFamily): ScheduledQuery[] {
  const parsed = ConfigSchedule.safeParse(config)
  if (!parsed.success) {
    return []
  }
  const { options, schedule = {}, packs = {} } = parsed.data
  const delimiter = options?.pack_delimiter ?? '/'
  const out: ScheduledQuery[] = []
  collect(schedule, undefined, (name) => name, family, out)
  for (const [packName, value] of Object.entries(packs)) {
    const pack = Pack.safeParse(value)
    if (pack.success && runsOn(pack.data.platform, family)) {
      const prefix = `pack${delimiter}${packName}${delimiter}`
      collect(pack.data.queries, pack.data.platform, (name) => prefix + name, family, out)
    }
  }
  return out
}

function collect(
  entries: Record<string, unknown>,
  packPlatform: string | undefined,
  logName: (name: string) => string,
  family: PlatformFamily,
  out: ScheduledQuery[],
): void {
  for (const [name, value] of Object.entries(entries)) {
    const entry = QueryEntry.safeParse(value)
    if (!entry.success || !(entry.data.interval > 0)) {
      continue
    }
    if (runsOn(entry.data.platform ?? packPlatform, family)) {
      out.push({ name: logName(name), query: entry.data.query, intervalS: entry.data.interval })
    }
  }
}

/** osquery's `platform` filter: empty/`all`/`any`, or a comma list with `posix` for non-Windows. */
export function runsOn(platform: string | undefined, family: PlatformFamily): boolean {
  if (platform === undefined) {
    return true
  }
  const names = platform
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p !== '')
  if (names.length === 0) {
    return true
  }
  return names.some(
    (p) => p === 'all' || p === 'any' || p === family || (p === 'posix' && family !== 'windows'),
  )
}

/**
 * The queries that come due between two logger ticks. Like osquery, a query with interval I runs
 * when the host's uptime crosses a multiple of I, so hosts that booted at different times spread
 * their runs.
 */
export function dueQueries(
  queries: readonly ScheduledQuery[],
  bootTimeMs: number,
  lastTickMs: number,
  nowMs: number,
): ScheduledQuery[] {
  return queries.filter((q) => {
    const period = q.intervalS * 1000
    return (
      Math.floor((nowMs - bootTimeMs) / period) > Math.floor((lastTickMs - bootTimeMs) / period)
    )
  })
}

/**
 * Shares parsed schedules between hosts that got the same config text, so thousands of hosts
 * hold one array instead of thousands of copies. Keeps the `limit` most recent configs.
 */
export function createScheduleCache(
  limit = 64,
): (configText: string, config: unknown, family: PlatformFamily) => ScheduledQuery[] {
  const cache = new Map<string, ScheduledQuery[]>()
  return (configText, config, family) => {
    const key = `${family}\n${configText}`
    const hit = cache.get(key)
    if (hit !== undefined) {
      return hit
    }
    const queries = scheduledQueries(config, family)
    if (cache.size >= limit) {
      const oldest = cache.keys().next()
      if (!oldest.done) {
        cache.delete(oldest.value)
      }
    }
    cache.set(key, queries)
    return queries
  }
}
