import type { OrbitConfig, OrbitEnrollRequest } from '@fleet/api'
import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import { isUniqueViolation, transactionWithRetry } from '../../platform/db/index.js'
import {
  AuthFailedError,
  AuthRequiredError,
  ConflictError,
  InternalError,
} from '../../platform/errors/index.js'
import { hashToken, randomToken } from '../../platform/ids.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { recordActivity } from '../activities/index.js'
import type { AgentSources } from './agent-sources.js'
import { recordEnrollTeamMove } from './enroll-team-move.js'
import type { DeviceSources } from './orbit-device.service.js'
import { displayName } from './host.js'
import * as hosts from './hosts.store.js'
import { extensionsNeedLabels, orbitConfigFor } from './orbit-config.js'
import type { OrbitEnrollment, OrbitHost } from './orbit-host.js'
import * as store from './orbit-hosts.store.js'
import { SeenTimeBuffer } from './seen-time-buffer.js'

export type OrbitAgentService = ReturnType<typeof createOrbitAgentService>

function enrollmentOf(input: OrbitEnrollRequest, teamId: number | null, now: number) {
  return {
    teamId,
    uuid: input.hardware_uuid,
    osqueryHostId: input.osquery_identifier || input.hardware_uuid,
    hardwareSerial: input.hardware_serial,
    hostname: input.hostname,
    computerName: input.computer_name,
    hardwareModel: input.hardware_model,
    platform: input.platform,
    platformLike: input.platform_like,
    now,
  } satisfies OrbitEnrollment
}

/**
 * Orbit (fleetd): enrollment into the host record osquery shares, node-key authentication, its
 * config (from agent options), and registration of the Fleet Desktop device token. Config polls
 * (every 30 s per host) cost one indexed lookup; their check-in times are buffered.
 */
export function createOrbitAgentService(
  deps: Deps,
  sources: AgentSources & Pick<DeviceSources, 'hostLabels'>,
  /** Drops hosts from the osquery agent caches (their team may have changed). */
  invalidateAgents: (ids: readonly number[]) => Promise<void>,
) {
  const checkins = new SeenTimeBuffer(
    (batch) => store.updateOrbitCheckins(deps.db, batch),
    deps.log,
  )

  function start(): void {
    checkins.start(deps.config.osquery.seen_time_flush_interval)
  }

  async function stop(): Promise<void> {
    await checkins.stop()
  }

  /**
   * Enrolls orbit with an enroll secret into the host with the same hardware UUID (or osquery
   * identifier), creating it if osquery hasn't enrolled yet; returns a new orbit node key, which
   * replaces any previous one. The host moves to the secret's team, recorded as a
   * `transferred_hosts` activity when that is another team (hosts README, "Re-enrollment").
   */
  async function enroll(ctx: Pick<RequestCtx, 'log'>, input: OrbitEnrollRequest): Promise<string> {
    const teamId = await sources.secretTeam(input.enroll_secret)
    if (teamId === undefined) {
      ctx.log.info({ uuid: input.hardware_uuid }, 'orbit enroll refused: invalid enroll secret')
      throw new AuthFailedError()
    }
    const now = deps.clock.now().getTime()
    const nodeKey = randomToken(24)
    const orbit = enrollmentOf(input, teamId, now)
    // Many hosts enroll at once after a rollout: a deadlock is retried, not a 500.
    const hostId = await transactionWithRetry(deps.db, async (trx: Db) => {
      const existing = await hosts.findEnrolledHost(trx, orbit.uuid, orbit.osqueryHostId)
      if (existing) {
        await store.updateOrbitHost(trx, existing, orbit)
        await recordEnrollTeamMove(trx, deps, existing, teamId, { via: 'orbit' })
      }
      const id = existing?.id ?? (await store.insertOrbitHost(trx, orbit))
      await store.setOrbitNodeKey(trx, id, hashToken(nodeKey), now)
      await recordEnrolled(trx, id)
      return id
    })
    await invalidateAgents([hostId])
    ctx.log.debug({ hostId }, 'orbit enrolled')
    return nodeKey
  }

  /** Fleet's `fleet_enrolled` activity, with the host as it is after the enrollment. */
  async function recordEnrolled(trx: Db, hostId: number): Promise<void> {
    const host = await hosts.findHost(trx, hostId)
    if (!host) {
      throw new InternalError(`reading host ${hostId} back after orbit enrolled it`)
    }
    await recordActivity(
      trx,
      deps.clock,
      {},
      {
        type: 'fleet_enrolled',
        details: { host_serial: host.hardwareSerial, host_display_name: displayName(host) },
        fleetInitiated: true,
        hostIds: [host.id],
      },
    )
  }

  /** The host holding an orbit node key; 401 (orbit then enrolls again) when there is none. */
  async function authenticate(nodeKey: string | undefined): Promise<OrbitHost> {
    if (!nodeKey) {
      throw new AuthRequiredError('authentication error: missing orbit node key')
    }
    const host = await store.findOrbitHost(deps.db, hashToken(nodeKey))
    if (!host) {
      throw new AuthRequiredError('authentication error: invalid orbit node key')
    }
    return host
  }

  /** Orbit's config from the host's team agent options, else the global ones. */
  async function config(host: OrbitHost): Promise<OrbitConfig> {
    checkins.record(host.id, deps.clock.now().getTime())
    const team = host.teamId === null ? null : await sources.teamAgentOptions(host.teamId)
    const options = team ?? (await sources.settings()).agentOptions
    const labels = extensionsNeedLabels(options)
      ? new Set((await sources.hostLabels(host.id)).map((l) => l.name))
      : new Set<string>()
    return orbitConfigFor(options, labels)
  }

  /**
   * Registers the host's Fleet Desktop token, replacing (and so revoking) the previous one.
   * Re-sending the current token keeps its registration time, as in Fleet: it still expires an
   * hour after it was first registered. A token held by another host is refused.
   */
  async function setDeviceToken(host: OrbitHost, token: string): Promise<void> {
    const hash = hashToken(token)
    const now = deps.clock.now().getTime()
    try {
      await deps.db.transaction().execute(async (trx: Db) => {
        const holder = await store.findDeviceToken(trx, hash)
        if (holder?.hostId === host.id) {
          return
        }
        if (holder) {
          throw new ConflictError('device token is in use by another host')
        }
        await store.replaceDeviceToken(trx, host.id, hash, now)
      })
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ConflictError('device token is in use by another host')
      }
      throw err
    }
  }

  return { start, stop, enroll, authenticate, config, setDeviceToken, checkins }
}
