/**
 * The osquery-compatible SQL engine's contract: what the osqueryd daemon (daemon/), `fleetd query`
 * and orbit use. Values come back as strings, as osquery sends them over its TLS remote API.
 */

/** One result row: column name → value, every value a string (osquery's wire form). */
export type Row = Record<string, string>

/** A query's outcome, as osquery reports it per distributed query (status 0 = ok). */
export type QueryOutcome = { status: 0; rows: Row[] } | { status: 1; error: string }

/** One scheduled query as the engine's `osquery_schedule` table shows it. */
export interface ScheduleEntry {
  name: string
  query: string
  interval: number
  executions: number
  lastExecuted: number
  outputSize: number
  wallTimeMs: number
  averageMemory: number
  denylisted: boolean
  /** Optional statistics osquery also shows; 0 when the daemon doesn't track them. */
  lastWallTimeMs?: number
  userTimeMs?: number
  lastUserTimeMs?: number
  systemTimeMs?: number
  lastSystemTimeMs?: number
  lastMemory?: number
}

/**
 * What orbit tells the engine it supervises about itself, for the `orbit_info` table (Fleet's
 * orbit serves that table from an osquery extension; fleetd hands it to its own engine in the
 * `FLEETD_ORBIT_INFO` environment variable (tables/orbit-info.ts) instead).
 */
export interface OrbitInfo {
  /** fleetd's version. */
  version: string
  /** The Fleet Desktop (My device token) component's version; '' when not running. */
  desktopVersion: string
  /** Whether this agent runs scripts the server sends. */
  scriptsEnabled: boolean
  /** Update channels of orbit, osqueryd and desktop. */
  channels: { orbit: string; osqueryd: string; desktop: string }
  /** Milliseconds since the epoch when orbit started. */
  startedAt: number
}

/** What the engine's self-describing tables (osquery_info, osquery_flags, osquery_schedule) read. */
export interface EngineContext {
  /** Seconds since the epoch when the daemon started. */
  startTime: number
  /** Stable per-install instance id (UUID), kept in the database path. */
  instanceId: string
  /** The osquery version this engine reports (osquery_info.version). */
  version: string
  /** The effective flags, name (without `--`) → value, as osquery_flags shows them. */
  flags: ReadonlyMap<string, string>
  /** The daemon's current schedule and its statistics. */
  schedule(): ScheduleEntry[]
  /** Whether the daemon currently has a node key (osquery_info.config_valid / extensions). */
  configValid(): boolean
  /** The orbit supervising this engine (the orbit_info table); undefined when there is none. */
  orbit?: OrbitInfo
}

/** An open engine: run SQL against this machine's live state. */
export interface Engine {
  /** Runs one statement. Never throws: a bad query, unknown table or read failure is status 1. */
  query(sql: string): QueryOutcome
  /** Names of every table the engine serves, sorted. */
  tables(): string[]
  close(): void
}
