import { isRecord } from '../../transport/remote-client.js'

/** One query as a config's `schedule` or a pack's `queries` describe it. */
export interface QueryDef {
  name: string
  query: string
  /** Seconds; undefined when the config gave none (schedule_default_interval applies). */
  interval: number | undefined
  snapshot: boolean
  /** false: rows that disappear are not logged. */
  removed: boolean
  platform: string | undefined
  version: string | undefined
  shard: number | undefined
}

/** A pack: its own targeting plus its queries. */
export interface PackDef {
  name: string
  platform: string | undefined
  version: string | undefined
  shard: number | undefined
  /** Every discovery query must return a row for the pack to run. */
  discovery: string[]
  queries: QueryDef[]
}

/** `decorators`: SQL whose first row's columns decorate every log line. */
export interface DecoratorConfig {
  load: string[]
  always: string[]
  /** Seconds (a multiple of 60) → queries. */
  interval: { seconds: number; queries: string[] }[]
}

/** The parts of an osquery config the daemon acts on. */
export interface ParsedConfig {
  options: Record<string, unknown>
  schedule: QueryDef[]
  packs: PackDef[]
  decorators: DecoratorConfig
  /** Things osquery would warn about (bad entries are skipped, not fatal). */
  warnings: string[]
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined
}

function int(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN
  return Number.isFinite(n) && n >= 0 ? Math.trunc(n) : undefined
}

function bool(value: unknown, fallback: boolean): boolean {
  if (typeof value === 'boolean') {
    return value
  }
  if (typeof value === 'number') {
    return value !== 0
  }
  if (typeof value === 'string') {
    return ['true', '1', 'yes'].includes(value.toLowerCase())
  }
  return fallback
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') {
    return [value]
  }
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

function parseQuery(name: string, value: unknown, warnings: string[]): QueryDef | undefined {
  if (!isRecord(value)) {
    warnings.push(`Scheduled query ${name} is not an object`)
    return undefined
  }
  const query = text(value.query)
  if (!query) {
    warnings.push(`Scheduled query ${name} has no query`)
    return undefined
  }
  return {
    name,
    query,
    interval: int(value.interval),
    snapshot: bool(value.snapshot, false),
    removed: bool(value.removed, true),
    platform: text(value.platform) || undefined,
    version: text(value.version) || undefined,
    shard: int(value.shard),
  }
}

function parseQueries(value: unknown, warnings: string[]): QueryDef[] {
  if (!isRecord(value)) {
    return []
  }
  const out: QueryDef[] = []
  for (const [name, def] of Object.entries(value)) {
    const parsed = parseQuery(name, def, warnings)
    if (parsed) {
      out.push(parsed)
    }
  }
  return out
}

function parsePacks(value: unknown, warnings: string[]): PackDef[] {
  if (!isRecord(value)) {
    return []
  }
  const packs: PackDef[] = []
  for (const [name, pack] of Object.entries(value)) {
    if (!isRecord(pack)) {
      // osquery also accepts a path to a pack file here; fleetd reads packs from the config only.
      warnings.push(`Pack ${name} is not an inline object; skipped`)
      continue
    }
    packs.push({
      name,
      platform: text(pack.platform) || undefined,
      version: text(pack.version) || undefined,
      shard: int(pack.shard),
      discovery: strings(pack.discovery),
      queries: parseQueries(pack.queries, warnings),
    })
  }
  return packs
}

function parseDecorators(value: unknown, warnings: string[]): DecoratorConfig {
  const decorators: DecoratorConfig = { load: [], always: [], interval: [] }
  if (!isRecord(value)) {
    return decorators
  }
  decorators.load = strings(value.load)
  decorators.always = strings(value.always)
  if (isRecord(value.interval)) {
    for (const [key, queries] of Object.entries(value.interval)) {
      const seconds = int(key)
      if (seconds === undefined || seconds === 0 || seconds % 60 !== 0) {
        warnings.push(`Invalid decorator interval rotation: ${key}`)
        continue
      }
      decorators.interval.push({ seconds, queries: strings(queries) })
    }
  }
  return decorators
}

/**
 * Reads an osquery config object (what Fleet's /api/osquery/config returns): `options`,
 * `schedule`, `packs` and `decorators`. Unknown top-level keys (file_paths, yara, views ...)
 * are ignored here; malformed entries are skipped with a warning rather than failing the whole
 * config, as osquery's parsers do.
 */
export function parseConfig(value: unknown): ParsedConfig {
  const warnings: string[] = []
  if (!isRecord(value)) {
    return {
      options: {},
      schedule: [],
      packs: [],
      decorators: { load: [], always: [], interval: [] },
      warnings: ['Config is not a JSON object'],
    }
  }
  return {
    options: isRecord(value.options) ? value.options : {},
    schedule: parseQueries(value.schedule, warnings),
    packs: parsePacks(value.packs, warnings),
    decorators: parseDecorators(value.decorators, warnings),
    warnings,
  }
}
