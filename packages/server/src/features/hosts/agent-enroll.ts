import type { OsqueryEnrollRequest } from '@fleet/api'
import type { Db } from '../../db/database.js'
import { transactionWithRetry } from '../../platform/db/index.js'
import { AuthFailedError } from '../../platform/errors/index.js'
import { hashToken, randomToken } from '../../platform/ids.js'
import { text } from './agent-values.js'
import type { CheckinContext } from './checkin-context.js'
import { recordEnrollTeamMove } from './enroll-team-move.js'
import { detailQuery } from './detail-queries.js'
import type { HostVitals } from './host.js'
import * as store from './hosts.store.js'
import { deleteRefreshTimes } from './refresh-times.store.js'

type HostIdentifier = CheckinContext['deps']['config']['osquery']['host_identifier']

/** The identifier a host is known by, as `osquery.host_identifier` says to pick it. */
function identifierOf(input: OsqueryEnrollRequest, by: HostIdentifier): string {
  const details = input.host_details ?? {}
  const pick = (table: string, column: string) => text(details[table]?.[column])
  switch (by) {
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
 * identifier) instead of duplicating it, and returns a fresh node key. Enrolling starts every
 * refresh over: details, and every provider's schedule, are due on the next check-in. The
 * secret's team becomes the host's; a returning host that changes team is recorded as a
 * `transferred_hosts` activity (README, "Re-enrollment").
 */
export async function enroll(
  ctx: CheckinContext,
  input: OsqueryEnrollRequest,
  ip: string,
): Promise<string> {
  const { deps } = ctx
  const teamId = await ctx.sources.secretTeam(input.enroll_secret)
  if (teamId === undefined) {
    deps.log.info({ ip }, 'osquery enroll refused: invalid enroll secret')
    throw new AuthFailedError('enroll failed: invalid enroll secret')
  }
  const now = deps.clock.now().getTime()
  const nodeKey = randomToken(24)
  const nodeKeyHash = hashToken(nodeKey)
  const vitals = enrollVitals(input, now)
  const osqueryHostId = text(identifierOf(input, deps.config.osquery.host_identifier))
  // Hosts enroll in bursts (a rollout, a restart of many agents): a deadlock is run again.
  const id = await transactionWithRetry(deps.db, async (trx: Db) => {
    const existing = await store.findEnrolledHost(trx, vitals.uuid ?? '', osqueryHostId)
    const values = { teamId, nodeKeyHash, osqueryHostId, publicIp: text(ip, 64), vitals, now }
    if (existing) {
      await store.reenrollHost(trx, existing.id, values)
      await recordEnrollTeamMove(trx, deps, existing, teamId, { via: 'osquery', ip })
    }
    const hostId = existing?.id ?? (await store.insertHost(trx, values))
    await deleteRefreshTimes(trx, [hostId])
    return hostId
  })
  await ctx.hosts.invalidate([id])
  await ctx.refresh.reset([id])
  ctx.pending.forget(id)
  deps.log.debug({ hostId: id }, 'osquery host enrolled')
  return nodeKey
}
