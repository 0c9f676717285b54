import {
  DeviceToken,
  isHttpUrl,
  type DevicePolicy,
  type FleetdError,
  type LicenseInfo,
} from '@fleet/api'
import type { Deps } from '../../deps.js'
import { skipAuthorization } from '../../platform/authz/index.js'
import { AuthRequiredError, RateLimitedError } from '../../platform/errors/index.js'
import { hashToken } from '../../platform/ids.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { teamNames } from '../teams/index.js'
import type { Host, HostUser } from './host.js'
import * as hosts from './hosts.store.js'
import { FailureLimiter } from './orbit-device-limit.js'
import { deviceTokenFresh, type HostLabel, type OrbitInfo } from './orbit-host.js'
import * as store from './orbit-hosts.store.js'

/** Fleet: 720 invalid device tokens an hour per IP, in bursts of up to 100. */
const INVALID_TOKENS_PER_HOUR = 720
const INVALID_TOKEN_BURST = 100

/** The organization settings the device API shows (from the app config). */
export interface DeviceSettings {
  orgName: string
  orgLogoUrl: string
  orgLogoUrlLightBackground: string
  contactUrl: string
  /** The organization's own transparency page; empty for Fleet's. */
  transparencyUrl: string
  enableSoftwareInventory: boolean
  license: LicenseInfo
}

/** What the device API reads from other features, plugged in by the server. */
export interface DeviceSources {
  settings(): Promise<DeviceSettings>
  /** The labels the host belongs to (the labels feature's, by name). */
  hostLabels(hostId: number): Promise<HostLabel[]>
  /**
   * The host's policies with its results. Absent until a policies feature exists; it then
   * provides this and the device page and tray badge pick it up.
   */
  policies?(host: Host): Promise<DevicePolicy[]>
}

/** The "My device" page's data about the host. */
export interface DeviceHost {
  host: Host
  teamName: string | null
  users: HostUser[]
  labels: HostLabel[]
  /** Its orbit, as its orbit_info reported. */
  orbit: OrbitInfo | undefined
  /** How many of its policies the host fails (its `issues`). */
  failingPolicies: number
}

/** The host's inventory beyond its vitals (see `inventory`). */
export interface DeviceInventory {
  hostId: number
  emails: { email: string; source: string }[]
  macadmins: null
  software: never[]
}

export type DeviceService = ReturnType<typeof createDeviceService>

/**
 * Fleet Desktop's device API: the device token (registered by orbit, valid for an hour) is the
 * only credential and names the one host a request may see. Invalid tokens are rate limited per
 * client IP.
 */
export function createDeviceService(
  deps: Pick<Deps, 'db' | 'clock'>,
  sources: DeviceSources,
  /** Drops hosts from the osquery agent caches (so a refetch reaches the check-in path). */
  invalidateAgents: (ids: readonly number[]) => Promise<void>,
) {
  const now = () => deps.clock.now().getTime()
  const limiter = new FailureLimiter({
    perHour: INVALID_TOKENS_PER_HOUR,
    burst: INVALID_TOKEN_BURST,
    now,
  })

  function refuse(ip: string): never {
    const wait = limiter.fail(ip)
    if (wait > 0) {
      throw new RateLimitedError(wait)
    }
    throw new AuthRequiredError('invalid or expired device token')
  }

  /**
   * The host a device token names, or 401 (unknown or older than an hour) / 429 (too many
   * invalid tokens from this IP). On success the request counts as authorized: the token is
   * the authorization, and every function below reads only this host.
   */
  async function authenticate(ctx: RequestCtx, token: string): Promise<Host> {
    const wait = limiter.waitFor(ctx.ip)
    if (wait > 0) {
      throw new RateLimitedError(wait)
    }
    // Orbit only registers v4 UUIDs, so anything else is an invalid token like any other.
    const found = DeviceToken.safeParse(token).success
      ? await store.findDeviceToken(deps.db, hashToken(token))
      : undefined
    if (!found || !deviceTokenFresh(found.createdAt, now())) {
      return refuse(ctx.ip)
    }
    const host = await hosts.findHost(deps.db, found.hostId)
    if (!host) {
      return refuse(ctx.ip)
    }
    skipAuthorization(ctx.authz)
    return host
  }

  async function policiesOf(host: Host): Promise<DevicePolicy[]> {
    return sources.policies ? sources.policies(host) : []
  }

  /** The "My device" page: the host with its team, users and labels, and the org settings. */
  async function myDevice(
    ctx: RequestCtx,
    token: string,
  ): Promise<{ device: DeviceHost; settings: DeviceSettings }> {
    const host = await authenticate(ctx, token)
    const [names, users, labels, orbit, policies, settings] = await Promise.all([
      host.teamId === null ? new Map<number, string>() : teamNames(deps.db, [host.teamId]),
      hosts.hostUsers(deps.db, host.id),
      sources.hostLabels(host.id),
      store.orbitInfoOf(deps.db, host.id),
      policiesOf(host),
      sources.settings(),
    ])
    const teamName = host.teamId === null ? null : (names.get(host.teamId) ?? null)
    const failingPolicies = policies.filter((p) => p.response === 'fail').length
    return { device: { host, teamName, users, labels, orbit, failingPolicies }, settings }
  }

  /** What the tray shows: the failing-policy badge and the organization settings. */
  async function desktop(
    ctx: RequestCtx,
    token: string,
  ): Promise<{ failingPolicies: number; settings: DeviceSettings }> {
    const host = await authenticate(ctx, token)
    const [policies, settings] = await Promise.all([policiesOf(host), sources.settings()])
    return { failingPolicies: policies.filter((p) => p.response === 'fail').length, settings }
  }

  async function policies(ctx: RequestCtx, token: string): Promise<DevicePolicy[]> {
    return policiesOf(await authenticate(ctx, token))
  }

  /** Same effect as the REST refetch: vitals are re-read on the host's next check-in. */
  async function refetch(ctx: RequestCtx, token: string): Promise<void> {
    const host = await authenticate(ctx, token)
    await hosts.requestRefetch(deps.db, [host.id])
    await invalidateAgents([host.id])
  }

  /**
   * The organization's transparency page, or empty for Fleet's default (also when a stored value
   * is not an http(s) URL: it becomes a redirect's Location header).
   */
  async function transparencyUrl(ctx: RequestCtx, token: string): Promise<string> {
    await authenticate(ctx, token)
    const url = (await sources.settings()).transparencyUrl
    return isHttpUrl(url) ? url : ''
  }

  /**
   * What the My device page's other tabs list: the emails mapped to the host, its Munki and MDM
   * data, its software. No detail query collects any of these yet, so the host has none, which
   * the API answers exactly as Fleet does for a host that never reported them.
   */
  async function inventory(ctx: RequestCtx, token: string): Promise<DeviceInventory> {
    const host = await authenticate(ctx, token)
    return { hostId: host.id, emails: [], macadmins: null, software: [] }
  }

  /**
   * Logs an error a fleetd component on the token's host reports, as Fleet does: the report goes
   * to the server log (tagged with the host) and nowhere else.
   */
  async function reportError(ctx: RequestCtx, token: string, report: FleetdError): Promise<void> {
    const host = await authenticate(ctx, token)
    ctx.log.warn({ hostId: host.id, fleetdError: report }, 'fleetd error')
  }

  return {
    authenticate,
    myDevice,
    desktop,
    policies,
    refetch,
    transparencyUrl,
    inventory,
    reportError,
  }
}
