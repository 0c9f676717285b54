import { QUERY_PREFIX, type DistributedWriteRequest, type ResultRow } from '@fleet/api'
import { transactionWithRetry } from '../../platform/db/index.js'
import type { AgentHost } from './agent-host.js'
import { text } from './agent-values.js'
import type { CheckinContext } from './checkin-context.js'
import { detailQuery, type DetailResult } from './detail-queries.js'
import type { HostVitals } from './host.js'
import * as store from './hosts.store.js'
import { setOrbitInfo } from './orbit-hosts.store.js'

/** True when osquery reported the query as failed (a non-zero status). */
export function failed(statuses: DistributedWriteRequest['statuses'], name: string): boolean {
  const status = statuses[name]
  return status !== undefined && Number(status) !== 0
}

/** The rows of one result (anything else counts as no rows). */
export function rowsOf(value: DistributedWriteRequest['queries'][string]): ResultRow[] {
  return Array.isArray(value) ? value : []
}

/** Vitals and users from the detail results; failed and unknown queries are skipped. */
function readDetails(
  ctx: CheckinContext,
  host: AgentHost,
  detailNames: readonly string[],
  body: DistributedWriteRequest,
  now: number,
): DetailResult & { vitals: HostVitals } {
  let vitals: HostVitals = {}
  let users: DetailResult['users']
  let orbit: DetailResult['orbit']
  for (const name of detailNames) {
    const query = detailQuery(name.slice(QUERY_PREFIX.detail.length))
    if (!query || failed(body.statuses, name)) {
      ctx.deps.log.debug(
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
    orbit = result.orbit ?? orbit
  }
  return { vitals, users, orbit }
}

/**
 * Stores detail results: the host's vitals (and users), a new `detail_updated_at`, and the
 * refetch request cleared — in the database and in the cached host.
 */
export async function ingestDetails(
  ctx: CheckinContext,
  host: AgentHost,
  detailNames: readonly string[],
  body: DistributedWriteRequest,
  now: number,
  ip: string,
): Promise<void> {
  const { vitals, users, orbit } = readDetails(ctx, host, detailNames, body, now)
  // The uuid is the host's identity, fixed at enrollment: a detail query reporting another one
  // (maybe another host's) must never move or merge hosts, so it is not taken from here.
  delete vitals.uuid
  // The intervals the server's config sets win over the flags the host reported (it applies
  // them on its next config fetch): taking both would flip the stored values, and rewrite the
  // host row, on every detail refresh and config request.
  const { intervals } = await ctx.configs.configFor(host)
  for (const key of ['distributedInterval', 'configTlsRefresh', 'loggerTlsPeriod'] as const) {
    const configured = intervals[key]
    if (configured !== undefined && vitals[key] !== undefined) {
      vitals[key] = configured
    }
  }
  const publicIp = text(ip, 64)
  // Concurrent enrollments' first details deadlocked in replaceHostUsers on MariaDB: run again.
  await transactionWithRetry(ctx.deps.db, async (trx) => {
    await store.updateHostVitals(trx, host.id, vitals, { now, publicIp, detailUpdatedAt: now })
    if (users) {
      await store.replaceHostUsers(trx, host.id, users)
    }
    if (orbit) {
      await setOrbitInfo(trx, host.id, orbit)
    }
  })
  Object.assign(host, {
    detailUpdatedAt: now,
    refetchRequested: false,
    publicIp,
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
