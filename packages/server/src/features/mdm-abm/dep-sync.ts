import { errorMessage } from '../../platform/errors/index.js'
import type { SecretBox } from '../../platform/secret-box.js'
import { hostIdsBySerial, insertDepHosts } from '../hosts/index.js'
import * as devicesStore from './abm-devices.store.js'
import { abmPlatform, HOST_PLATFORM, type AbmToken } from './abm-token.js'
import { DepApiError, type DepClient, type DepDevice } from './dep-client.js'
import type { DepSyncDeps } from './dep-sync-deps.js'
import { openCredentials } from './mdm-abm.service.js'
import * as store from './mdm-abm.store.js'
import { assignProfiles } from './dep-assign.js'

/** What one run did, summed over the tokens (logged by the cron runner). */
export interface SyncCounts {
  tokens: number
  failed: number
  added: number
  removed: number
  assigned: number
}

/** Every device change since the token's cursor: the full list the first time, then a sync. */
async function fetchChanges(
  client: DepClient,
  cursor: string | null,
): Promise<{ devices: DepDevice[]; cursor: string }> {
  const devices: DepDevice[] = []
  let next = cursor ?? undefined
  let full = cursor === null
  for (;;) {
    let page
    try {
      page = full ? await client.fetchDevices(next) : await client.syncDevices(next ?? '')
    } catch (err) {
      if (!full && err instanceof DepApiError && err.cursorExpired) {
        // ABM forgot the cursor: list everything again (devices already known are kept).
        full = true
        next = undefined
        continue
      }
      throw err
    }
    devices.push(...page.devices)
    next = page.cursor || next
    if (!page.more_to_follow) {
      return { devices, cursor: next ?? '' }
    }
  }
}

/**
 * Applies the changes to the database: new devices become pending hosts (an existing host with the
 * serial is reused) in the token's default team for their platform; devices ABM dropped are
 * marked removed; devices seen again are revived.
 */
async function applyChanges(
  s: DepSyncDeps,
  token: AbmToken,
  devices: DepDevice[],
): Promise<{ added: number; removed: number }> {
  const { db, clock } = s.deps
  const now = clock.now().getTime()
  // The last word per serial wins (a page may carry an add and a delete of one device).
  const latest = new Map(devices.map((d) => [d.serial_number, d]))
  const gone = [...latest.values()].filter((d) => d.op_type === 'deleted')
  const present = [...latest.values()].filter(
    (d) => d.op_type !== 'deleted' && abmPlatform(d.device_family, d.os) !== undefined,
  )
  const known = await devicesStore.devicesBySerial(
    db,
    present.map((d) => d.serial_number),
  )
  const fresh = present.filter((d) => !known.has(d.serial_number))
  const again = present.filter((d) => known.has(d.serial_number))
  const emptyAtAbm = again.filter((d) => ['empty', 'removed'].includes(d.profile_status))
  await devicesStore.reviveDevices(
    db,
    token.id,
    emptyAtAbm.map((d) => d.serial_number),
    true,
    now,
  )
  await devicesStore.reviveDevices(
    db,
    token.id,
    again.filter((d) => !emptyAtAbm.includes(d)).map((d) => d.serial_number),
    false,
    now,
  )
  const teamOf = (d: DepDevice) => {
    const platform = abmPlatform(d.device_family, d.os)
    return platform ? token.teams[platform] : null
  }
  const existingHosts = await hostIdsBySerial(
    db,
    fresh.map((d) => d.serial_number),
  )
  const newHosts = await insertDepHosts(
    db,
    fresh
      .filter((d) => !existingHosts.has(d.serial_number))
      .map((d) => ({
        serial: d.serial_number,
        platform: HOST_PLATFORM[abmPlatform(d.device_family, d.os) ?? 'macos'],
        model: d.description || d.model,
        teamId: teamOf(d),
      })),
    now,
  )
  await devicesStore.insertDevices(
    db,
    token.id,
    fresh.map((d) => ({
      serial: d.serial_number,
      model: d.model,
      description: d.description,
      deviceFamily: d.device_family,
      os: d.os,
      teamId: teamOf(d),
      hostId: existingHosts.get(d.serial_number) ?? newHosts.get(d.serial_number) ?? null,
    })),
    now,
  )
  const removed = await devicesStore.markRemoved(
    db,
    gone.map((d) => d.serial_number),
    now,
  )
  return { added: fresh.length, removed }
}

/** One token's run; an ABM or network failure is recorded on the token, never thrown. */
async function syncToken(s: DepSyncDeps, box: SecretBox, token: AbmToken, counts: SyncCounts) {
  const log = s.log.child({ abmTokenId: token.id, org: token.orgName })
  const now = () => s.deps.clock.now().getTime()
  try {
    const client = s.depClient(openCredentials(box, token))
    const changes = await fetchChanges(client, token.syncCursor)
    const applied = await applyChanges(s, token, changes.devices)
    counts.added += applied.added
    counts.removed += applied.removed
    await store.recordSync(
      s.deps.db,
      token.id,
      { cursor: changes.cursor, termsExpired: false, error: null },
      now(),
    )
    const assigned = await assignProfiles(s, client, token, log)
    counts.assigned += assigned
    log.info({ ...applied, assigned, fetched: changes.devices.length }, 'ABM devices synced')
  } catch (err) {
    counts.failed += 1
    const termsExpired = err instanceof DepApiError && err.termsNotSigned
    await store.recordSync(s.deps.db, token.id, { termsExpired, error: errorMessage(err) }, now())
    log.warn({ err: errorMessage(err), termsExpired }, 'ABM device sync failed; retried next run')
  }
}

/** `mdm_apple_dep_syncer`: every token in turn. */
export async function syncAbmDevices(s: DepSyncDeps): Promise<SyncCounts> {
  const counts: SyncCounts = { tokens: 0, failed: 0, added: 0, removed: 0, assigned: 0 }
  if (!s.box) {
    return counts
  }
  for (const token of await store.listTokens(s.deps.db)) {
    counts.tokens += 1
    await syncToken(s, s.box, token, counts)
  }
  return counts
}
