import { randomBytes } from 'node:crypto'
import { chunked } from '../../platform/db/index.js'
import type { Log } from '../../platform/logger.js'
import * as devicesStore from './abm-devices.store.js'
import type { AbmToken } from './abm-token.js'
import { DepApiError, type DepClient, type DepProfile } from './dep-client.js'
import type { DepSyncDeps } from './dep-sync-deps.js'
import * as store from './mdm-abm.store.js'
import { ENROLL_PATH } from '../mdm-enrollment/index.js'

/**
 * The DEP profile this server defines per token and team: enrollment at the device-facing
 * enrollment path with the profile's own token; Setup Assistant waits for DeviceConfigured so the
 * server can do its first work before the user reaches the desktop; MDM not removable by the user
 * (company-owned devices, as Fleet's default).
 */
export function depProfile(serverUrl: string, enrollToken: string): DepProfile {
  const url = `${serverUrl.replace(/\/+$/, '')}${ENROLL_PATH}?token=${encodeURIComponent(enrollToken)}`
  return {
    profile_name: 'Fleet automatic enrollment',
    url,
    configuration_web_url: url,
    is_mdm_removable: false,
    await_device_configured: true,
    skip_setup_items: [],
  }
}

/** The profile uuid of a token's team profile, defined at ABM the first time it is needed. */
async function ensureProfile(
  s: DepSyncDeps,
  client: DepClient,
  token: AbmToken,
  teamKey: number,
  serverUrl: string,
): Promise<string> {
  const existing = await store.findProfile(s.deps.db, token.id, teamKey)
  if (existing?.profileUuid) {
    return existing.profileUuid
  }
  const enrollToken = existing?.enrollToken ?? randomBytes(24).toString('base64url')
  const defined = await client.defineProfile(depProfile(serverUrl, enrollToken))
  await store.saveProfile(
    s.deps.db,
    token.id,
    teamKey,
    { enrollToken, profileUuid: defined.profile_uuid },
    s.deps.clock.now().getTime(),
  )
  return defined.profile_uuid
}

/**
 * Assigns each live device of the token the DEP profile of its team unless ABM already confirmed
 * that profile for it (SUCCESS); devices ABM answered NOT_ACCESSIBLE or FAILED for are tried again
 * next run. Returns how many ABM confirmed in this run.
 */
export async function assignProfiles(
  s: DepSyncDeps,
  client: DepClient,
  token: AbmToken,
  log: Log,
): Promise<number> {
  const devices = await devicesStore.liveDevices(s.deps.db, token.id)
  const byTeam = new Map<number, typeof devices>()
  for (const d of devices) {
    const key = d.teamId ?? 0
    byTeam.set(key, [...(byTeam.get(key) ?? []), d])
  }
  let confirmed = 0
  for (const [teamKey, members] of byTeam) {
    const current = await store.findProfile(s.deps.db, token.id, teamKey)
    const pending = members.filter(
      (d) =>
        !current?.profileUuid ||
        d.profileUuid !== current.profileUuid ||
        d.assignStatus !== 'SUCCESS',
    )
    if (pending.length === 0) {
      continue
    }
    const serverUrl = (await s.appConfig.current()).server_settings.server_url
    if (!serverUrl) {
      throw new Error(
        'ABM devices wait for a DEP profile: set server_settings.server_url (the URL devices reach this server at)',
      )
    }
    const profileUuid = await ensureProfile(s, client, token, teamKey, serverUrl)
    for (const chunk of chunked(pending.map((d) => d.serial))) {
      const result = await client.assignProfile(profileUuid, chunk).catch(async (err: unknown) => {
        if (err instanceof DepApiError && err.reason.includes('PROFILE_NOT_FOUND')) {
          // ABM no longer knows the profile: forget it so the next run defines it again.
          await store.forgetProfileUuid(s.deps.db, token.id, teamKey)
        }
        throw err
      })
      await devicesStore.recordAssignments(
        s.deps.db,
        profileUuid,
        result.devices,
        s.deps.clock.now().getTime(),
      )
      const failed = Object.entries(result.devices).filter(([, status]) => status !== 'SUCCESS')
      confirmed += chunk.length - failed.length
      if (failed.length > 0) {
        log.warn(
          { profileUuid, failed: Object.fromEntries(failed.slice(0, 20)) },
          'ABM refused some profile assignments',
        )
      }
    }
  }
  return confirmed
}
