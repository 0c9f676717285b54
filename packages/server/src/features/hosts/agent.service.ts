import {
  QUERY_PREFIX,
  type AgentOptions,
  type DistributedReadResponse,
  type DistributedWriteRequest,
  type OsqueryEnrollRequest,
  type ResultRow,
} from '@fleet/api'
import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import { AuthFailedError, AuthRequiredError } from '../../platform/errors/index.js'
import { hashToken, randomToken } from '../../platform/ids.js'
import { intervalsOf, osqueryConfigFor, withPacks } from './agent-config.js'
import { isDue, toAgentHost, type AgentHost } from './agent-host.js'
import { AgentHostCache } from './agent-host-cache.js'
import { text } from './agent-values.js'
import { DETAIL_QUERIES, detailQuery, type DetailResult } from './detail-queries.js'
import type { HostVitals } from './host.js'
import * as store from './hosts.store.js'
import { SeenTimeBuffer } from './seen-time-buffer.js'

export interface AgentSources {
  /** Global agent options and features (cached by the app-config feature). */
  settings(): Promise<{ agentOptions: AgentOptions; enableHostUsers: boolean }>
  /** A team's own agent options, or null to use the global ones. */
  teamAgentOptions(teamId: number): Promise<AgentOptions | null>
  /** The team of an enroll secret: null for a global secret, undefined if the secret is unknown. */
  secretTeam(secret: string): Promise<number | null | undefined>
  /**
   * Scheduled queries as osquery packs for hosts of a team on a platform (the queries feature's
   * `Global` and `team-<id>` packs). Kept in memory; the same object comes back until something
   * changes, which is what the config cache compares.
   */
  packs?(teamId: number | null, platform: string): Promise<Record<string, unknown>>
}

/**
 * A feature that asks hosts questions on check-in (labels, later policies), plugged into the
 * agent path without hosts depending on it.
 */
export interface AgentQueryProvider {
  /** The query-name prefix it owns, e.g. `fleet_label_query_`. */
  readonly prefix: string
  /**
   * The host timestamp that schedules its full refresh, or null for a provider without a schedule
   * (live queries): its queries are never "full", and answering them writes no timestamp.
   */
  readonly gate: 'labelUpdatedAt' | 'policyUpdatedAt' | null
  /** Full refresh interval in ms. */
  readonly intervalMs: number
  /**
   * Queries to send, keyed by name suffix: all of them when `full`, else only those that changed
   * after `since` (so a new label reaches hosts on their next check-in). Called on every check-in:
   * keep it in memory.
   */
  queries(
    host: AgentHost,
    options: { full: boolean; since: number },
  ): Promise<Map<string, { sql: string; discovery?: string }>>
  /**
   * Results by name suffix; null when the query failed on the host, with osquery's message for it
   * in `messages` when the host sent one.
   */
  ingest(
    host: AgentHost,
    results: ReadonlyMap<string, ResultRow[] | null>,
    now: number,
    messages: ReadonlyMap<string, string>,
  ): Promise<void>
}

const ALWAYS = 'SELECT 1'

interface CachedConfig {
  options: AgentOptions
  packs: Record<string, unknown> | undefined
  /** Shared by every host of the (team, platform): never mutate it. */
  config: Record<string, unknown>
  intervals: ReturnType<typeof intervalsOf>
}

export type HostAgentService = ReturnType<typeof createHostAgentService>

/**
 * The osquery side of hosts: enrollment, node-key authentication, config, and detail queries.
 * An empty check-in (the 99% case) touches memory only: the node-key cache answers who the
 * host is, what is due comes from the cached timestamps, and the seen time is buffered.
 */
export function createHostAgentService(
  deps: Deps,
  sources: AgentSources,
  providers: readonly AgentQueryProvider[] = [],
) {
  const cache = new AgentHostCache(deps.pubsub)
  const seen = new SeenTimeBuffer((batch) => store.updateSeenTimes(deps.db, batch), deps.log)
  /** Query names handed to each host and not yet answered (this instance only). */
  const pending = new Map<number, Set<string>>()
  const osquery = deps.config.osquery

  async function start(): Promise<void> {
    await cache.start()
    seen.start(osquery.seen_time_flush_interval)
  }

  async function stop(): Promise<void> {
    await seen.stop()
    await cache.stop()
  }

  async function authenticate(nodeKey: string): Promise<AgentHost> {
    if (!nodeKey) {
      throw new AuthRequiredError('authentication error: missing node key')
    }
    const cached = cache.get(nodeKey)
    if (cached) {
      return cached
    }
    const hash = hashToken(nodeKey)
    const host = await store.findHostByNodeKeyHash(deps.db, hash)
    if (!host) {
      throw new AuthRequiredError('authentication error: invalid node key')
    }
    const agentHost = toAgentHost(host)
    cache.set(hash, agentHost)
    return agentHost
  }

  function identifierOf(input: OsqueryEnrollRequest): string {
    const details = input.host_details ?? {}
    const pick = (table: string, column: string) => text(details[table]?.[column])
    switch (osquery.host_identifier) {
      case 'instance':
        return pick('osquery_info', 'instance_id') || input.host_identifier
      case 'uuid':
        return pick('osquery_info', 'uuid') || input.host_identifier
      case 'hostname':
        return pick('system_info', 'hostname') || input.host_identifier
      case 'provided':
        return input.host_identifier
    }
  }

  /** Vitals in the enroll request's host_details, read by the same ingest functions as detail queries. */
  function enrollVitals(input: OsqueryEnrollRequest, now: number): HostVitals {
    const details = input.host_details ?? {}
    let vitals: HostVitals = {}
    for (const name of ['os_version', 'osquery_info', 'system_info']) {
      const row = details[name]
      const query = detailQuery(name)
      if (row && query) {
        vitals = {
          ...vitals,
          ...query.ingest([row], { now, previous: { lastRestartedAt: 0 } }).vitals,
        }
      }
    }
    if (!vitals.uuid) {
      vitals.uuid = text(details.osquery_info?.uuid)
    }
    return vitals
  }

  /**
   * Enrolls an osquery agent: checks the secret, re-uses the host with the same hardware uuid (or
   * identifier) instead of duplicating it, and returns a fresh node key.
   */
  async function enroll(input: OsqueryEnrollRequest, ip: string): Promise<string> {
    const teamId = await sources.secretTeam(input.enroll_secret)
    if (teamId === undefined) {
      deps.log.info({ ip }, 'osquery enroll refused: invalid enroll secret')
      throw new AuthFailedError('enroll failed: invalid enroll secret')
    }
    const now = deps.clock.now().getTime()
    const nodeKey = randomToken(24)
    const nodeKeyHash = hashToken(nodeKey)
    const vitals = enrollVitals(input, now)
    const osqueryHostId = text(identifierOf(input))
    const id = await deps.db.transaction().execute(async (trx: Db) => {
      const existing = await store.findEnrolledHost(trx, vitals.uuid ?? '', osqueryHostId)
      const values = { teamId, nodeKeyHash, osqueryHostId, publicIp: text(ip, 64), vitals, now }
      if (existing) {
        await store.reenrollHost(trx, existing.id, values)
        return existing.id
      }
      return store.insertHost(trx, values)
    })
    await cache.invalidate([id])
    pending.delete(id)
    deps.log.debug({ hostId: id }, 'osquery host enrolled')
    return nodeKey
  }

  async function agentOptionsFor(host: AgentHost): Promise<AgentOptions> {
    const team = host.teamId === null ? null : await sources.teamAgentOptions(host.teamId)
    return team ?? (await sources.settings()).agentOptions
  }

  /**
   * Config responses per (team, platform), built once and reused while the agent options and the
   * packs they were built from are the same objects (both sources replace theirs on any change,
   * on every instance, via pub/sub). So a config request costs no SQL and no rebuild.
   */
  const configs = new Map<string, CachedConfig>()

  async function configFor(host: AgentHost): Promise<CachedConfig> {
    const options = await agentOptionsFor(host)
    const packs = sources.packs ? await sources.packs(host.teamId, host.platform) : undefined
    const key = `${host.teamId ?? ''}:${host.platform}`
    const cached = configs.get(key)
    if (cached && cached.options === options && cached.packs === packs) {
      return cached
    }
    const config = withPacks(osqueryConfigFor(options, host.platform), packs)
    const built = { options, packs, config, intervals: intervalsOf(config) }
    configs.set(key, built)
    return built
  }

  /** The osquery config for a host; remembers the intervals it sets (they decide online status). */
  async function config(host: AgentHost): Promise<Record<string, unknown>> {
    seen.record(host.id, deps.clock.now().getTime())
    const { config, intervals } = await configFor(host)
    const next = {
      distributedInterval: intervals.distributedInterval ?? host.distributedInterval,
      configTlsRefresh: intervals.configTlsRefresh ?? host.configTlsRefresh,
      loggerTlsPeriod: intervals.loggerTlsPeriod ?? host.loggerTlsPeriod,
    }
    if (
      next.distributedInterval !== host.distributedInterval ||
      next.configTlsRefresh !== host.configTlsRefresh ||
      next.loggerTlsPeriod !== host.loggerTlsPeriod
    ) {
      await store.setIntervals(deps.db, host.id, next)
      Object.assign(host, next)
      await cache.publishChanged([host.id])
    }
    return config
  }

  /** What the host must run now. Usually nothing, and then no SQL at all. */
  async function distributedRead(host: AgentHost): Promise<DistributedReadResponse> {
    const now = deps.clock.now().getTime()
    seen.record(host.id, now)
    const queries: Record<string, string> = {}
    const discovery: Record<string, string> = {}
    if (
      host.refetchRequested ||
      isDue(
        host.detailUpdatedAt,
        host.id,
        now,
        osquery.detail_update_interval,
        osquery.max_jitter_percent,
      )
    ) {
      const { enableHostUsers } = await sources.settings()
      for (const query of DETAIL_QUERIES) {
        const sql = query.sql(host.platform || 'linux')
        if (sql === undefined || (query.name === 'users' && !enableHostUsers)) {
          continue
        }
        const name = `${QUERY_PREFIX.detail}${query.name}`
        queries[name] = sql
        discovery[name] = query.discovery ?? ALWAYS
      }
    }
    for (const provider of providers) {
      const full = isFullRefresh(host, provider, now)
      for (const [suffix, query] of await provider.queries(host, {
        full,
        since: provider.gate === null ? 0 : host[provider.gate],
      })) {
        queries[`${provider.prefix}${suffix}`] = query.sql
        discovery[`${provider.prefix}${suffix}`] = query.discovery ?? ALWAYS
      }
    }
    if (Object.keys(queries).length > 0) {
      pending.set(host.id, new Set([...(pending.get(host.id) ?? []), ...Object.keys(queries)]))
    }
    const response: DistributedReadResponse = { queries, discovery }
    if (!host.hostname || !host.platform) {
      response.accelerate = 10
    }
    return response
  }

  /** Whether the provider's whole set is due for this host (never for a schedule-less one). */
  function isFullRefresh(host: AgentHost, provider: AgentQueryProvider, now: number): boolean {
    if (provider.gate === null) {
      return false
    }
    return (
      host.refetchRequested ||
      isDue(host[provider.gate], host.id, now, provider.intervalMs, osquery.max_jitter_percent)
    )
  }

  function failed(statuses: DistributedWriteRequest['statuses'], name: string): boolean {
    const status = statuses[name]
    return status !== undefined && Number(status) !== 0
  }

  function rowsOf(value: DistributedWriteRequest['queries'][string]): ResultRow[] {
    return Array.isArray(value) ? value : []
  }

  /**
   * Ingests results. Detail results are taken only while detail queries are outstanding for the
   * host (handed out by this instance, or due by the stored timestamps when another instance
   * handed them out); anything else is ignored with a log line.
   */
  async function distributedWrite(
    host: AgentHost,
    body: DistributedWriteRequest,
    ip: string,
  ): Promise<void> {
    const now = deps.clock.now().getTime()
    seen.record(host.id, now)
    const sent = pending.get(host.id)
    const names = Object.keys(body.queries)
    // Results are taken for queries this instance handed out, or that are due by the stored
    // timestamps (another instance behind the same load balancer may have handed them out).
    const expected = (name: string, dueByTimestamps: () => boolean) =>
      sent?.has(name) === true || dueByTimestamps()
    const ignored: string[] = []
    const detailNames = names.filter((name) => {
      if (!name.startsWith(QUERY_PREFIX.detail)) {
        return false
      }
      const ok = expected(
        name,
        () =>
          host.refetchRequested ||
          isDue(
            host.detailUpdatedAt,
            host.id,
            now,
            osquery.detail_update_interval,
            osquery.max_jitter_percent,
          ),
      )
      if (!ok) {
        ignored.push(name)
      }
      return ok
    })
    let changed = detailNames.length > 0
    if (detailNames.length > 0) {
      await ingestDetails(host, detailNames, body, now, ip)
    }
    for (const provider of providers) {
      const results = new Map<string, ResultRow[] | null>()
      const messages = new Map<string, string>()
      const full = isFullRefresh(host, provider, now)
      const due = full
        ? undefined
        : await provider.queries(host, {
            full: false,
            since: provider.gate === null ? 0 : host[provider.gate],
          })
      for (const name of names) {
        if (!name.startsWith(provider.prefix)) {
          continue
        }
        if (!expected(name, () => full || due?.has(name.slice(provider.prefix.length)) === true)) {
          ignored.push(name)
          continue
        }
        const suffix = name.slice(provider.prefix.length)
        const isFailed = failed(body.statuses, name)
        results.set(suffix, isFailed ? null : rowsOf(body.queries[name]))
        const message = body.messages?.[name]
        if (isFailed && typeof message === 'string' && message !== '') {
          messages.set(suffix, message.slice(0, 4096))
        }
      }
      if (results.size === 0) {
        continue
      }
      await provider.ingest(host, results, now, messages)
      // The gate time is also the `since` of incremental asks: answering a new label or policy
      // moves it, so that query is not asked again (it does push back the next full refresh).
      if (provider.gate !== null) {
        changed = true
        await store.setGateTime(deps.db, host.id, provider.gate, now)
        host[provider.gate] = now
      }
    }
    const unknown = names.filter(
      (name) =>
        !name.startsWith(QUERY_PREFIX.detail) && !providers.some((p) => name.startsWith(p.prefix)),
    )
    if (ignored.length > 0 || unknown.length > 0) {
      deps.log.info(
        { hostId: host.id, ignored: ignored.slice(0, 10), unknown: unknown.slice(0, 10) },
        'ignoring results of queries that were not asked for',
      )
    }
    if (sent) {
      for (const name of names) {
        sent.delete(name)
      }
      if (sent.size === 0) {
        pending.delete(host.id)
      }
    }
    // Only a write that changed the host makes other instances drop their cached copy.
    if (changed) {
      await cache.publishChanged([host.id])
    }
  }

  async function ingestDetails(
    host: AgentHost,
    detailNames: readonly string[],
    body: DistributedWriteRequest,
    now: number,
    ip: string,
  ): Promise<void> {
    let vitals: HostVitals = {}
    let users: DetailResult['users']
    for (const name of detailNames) {
      const query = detailQuery(name.slice(QUERY_PREFIX.detail.length))
      if (!query || failed(body.statuses, name)) {
        deps.log.debug(
          { hostId: host.id, query: name, message: body.messages[name] },
          'detail query unknown or failed on host',
        )
        continue
      }
      const result = query.ingest(rowsOf(body.queries[name]), {
        now,
        previous: { lastRestartedAt: host.lastRestartedAt },
      })
      vitals = { ...vitals, ...result.vitals }
      users = result.users ?? users
    }
    // The intervals the server's config sets win over the flags the host reported (it applies
    // them on its next config fetch): taking both would flip the stored values, and rewrite the
    // host row, on every detail refresh and config request.
    const { intervals } = await configFor(host)
    for (const key of ['distributedInterval', 'configTlsRefresh', 'loggerTlsPeriod'] as const) {
      const configured = intervals[key]
      if (configured !== undefined && vitals[key] !== undefined) {
        vitals[key] = configured
      }
    }
    await deps.db.transaction().execute(async (trx) => {
      await store.updateHostVitals(trx, host.id, vitals, {
        now,
        publicIp: text(ip, 64),
        detailUpdatedAt: now,
      })
      if (users) {
        await store.replaceHostUsers(trx, host.id, users)
      }
    })
    Object.assign(host, {
      detailUpdatedAt: now,
      refetchRequested: false,
      publicIp: text(ip, 64),
      ...(vitals.platform !== undefined && { platform: vitals.platform }),
      ...(vitals.hostname !== undefined && { hostname: vitals.hostname }),
      ...(vitals.lastRestartedAt !== undefined && { lastRestartedAt: vitals.lastRestartedAt }),
      ...(vitals.distributedInterval !== undefined && {
        distributedInterval: vitals.distributedInterval,
      }),
      ...(vitals.configTlsRefresh !== undefined && { configTlsRefresh: vitals.configTlsRefresh }),
      ...(vitals.loggerTlsPeriod !== undefined && { loggerTlsPeriod: vitals.loggerTlsPeriod }),
    })
  }

  /** Records a log submission's check-in. Where logs go is configured by the logging feature. */
  function recordLogCheckIn(host: AgentHost): void {
    seen.record(host.id, deps.clock.now().getTime())
  }

  return {
    start,
    stop,
    authenticate,
    enroll,
    config,
    distributedRead,
    distributedWrite,
    recordLogCheckIn,
    cache,
    seen,
  }
}
