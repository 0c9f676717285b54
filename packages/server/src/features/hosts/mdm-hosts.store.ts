import type { Db } from '../../db/database.js'
import { insertReturningId } from '../../platform/db/index.js'

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
      .select('id')
      .where(column, '=', value)
      .orderBy('id')
      .executeTakeFirst()
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
