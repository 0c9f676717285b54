import type { Db } from '../../db/database.js'
import { chunked, insertReturningId } from '../../platform/db/index.js'

/** What an MDM Authenticate tells about a device, for the host it is. */
export interface MdmDeviceFacts {
  /** UDID: a Mac's hardware UUID, which osquery reports as the host's uuid. */
  uuid: string
  serial: string
  deviceName: string
  model: string
  productName: string
  osVersion: string
  now: number
}

/** Fleet's platform for an Apple product (ProductName, else Model): darwin, ios or ipados. */
export function applePlatform(productName: string, model: string): 'darwin' | 'ios' | 'ipados' {
  const product = productName || model
  if (/^iPad/i.test(product)) {
    return 'ipados'
  }
  if (/^(iPhone|iPod)/i.test(product)) {
    return 'ios'
  }
  return 'darwin'
}

const OS_NAMES = { darwin: 'macOS', ios: 'iOS', ipados: 'iPadOS' } as const

/**
 * The host an MDM-enrolled device is: same hardware UUID, else same serial; created (as Fleet
 * creates MDM-only hosts: no osquery node key) when none exists. When fleetd enrolls later, its
 * enrollment finds this host by uuid, so the Mac stays one host.
 */
export async function findOrCreateMdmHost(db: Db, facts: MdmDeviceFacts): Promise<number> {
  // Same hardware UUID first; the serial only when the device reported one.
  const keys = [['uuid', facts.uuid] as const, ['hardware_serial', facts.serial] as const]
  for (const [column, value] of keys.filter(([, v]) => v !== '')) {
    const found = await db
      .selectFrom('hosts')
      .select(['id', 'uuid'])
      .where(column, '=', value)
      .orderBy('id')
      .executeTakeFirst()
    if (found && found.uuid === '' && facts.uuid !== '') {
      // A host made from ABM's device list before it enrolled: it now has its hardware UUID.
      await db.updateTable('hosts').set({ uuid: facts.uuid }).where('id', '=', found.id).execute()
    }
    if (found) {
      return found.id
    }
  }
  const platform = applePlatform(facts.productName, facts.model)
  return insertReturningId(
    db,
    db.insertInto('hosts').values({
      created_at: facts.now,
      updated_at: facts.now,
      team_id: null,
      node_key_hash: null,
      uuid: facts.uuid,
      hardware_serial: facts.serial,
      hardware_vendor: 'Apple Inc.',
      hardware_model: facts.productName || facts.model,
      computer_name: facts.deviceName,
      hostname: facts.deviceName,
      platform,
      os_version: facts.osVersion ? `${OS_NAMES[platform]} ${facts.osVersion}` : '',
      last_enrolled_at: facts.now,
      seen_time: facts.now,
    }),
  )
}

/** What ABM tells about a device it assigned to this server, for the pending host it becomes. */
export interface DepHostFacts {
  serial: string
  platform: 'darwin' | 'ios' | 'ipados'
  model: string
  teamId: number | null
}

/** Host ids by hardware serial among `serials` (the lowest id when two hosts share one). */
export async function hostIdsBySerial(
  db: Db,
  serials: readonly string[],
): Promise<Map<string, number>> {
  const found = new Map<string, number>()
  for (const chunk of chunked(serials)) {
    const rows = await db
      .selectFrom('hosts')
      .select(['id', 'hardware_serial'])
      .where('hardware_serial', 'in', chunk)
      .orderBy('id', 'desc')
      .execute()
    for (const row of rows) {
      found.set(row.hardware_serial, row.id)
    }
  }
  return found
}

/**
 * Creates the hosts of devices ABM assigned to this server, as Fleet does before they enroll: no
 * node key, no UUID yet (the device's UDID is set when it enrolls in MDM, matched by serial), in
 * the ABM token's default team. Batched; returns the new ids by serial.
 */
export async function insertDepHosts(
  db: Db,
  hosts: readonly DepHostFacts[],
  now: number,
): Promise<Map<string, number>> {
  for (const chunk of chunked(hosts, 500)) {
    await db
      .insertInto('hosts')
      .values(
        chunk.map((h) => ({
          created_at: now,
          updated_at: now,
          team_id: h.teamId,
          node_key_hash: null,
          uuid: '',
          hardware_serial: h.serial,
          hardware_vendor: 'Apple Inc.',
          hardware_model: h.model,
          computer_name: h.serial,
          hostname: h.serial,
          platform: h.platform,
          last_enrolled_at: now,
        })),
      )
      .execute()
  }
  return hostIdsBySerial(
    db,
    hosts.map((h) => h.serial),
  )
}
