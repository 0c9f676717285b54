import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import { encodeCommand, type CommandQueue } from '../mdm-commands/index.js'

/**
 * ABM devices enrolled in MDM and waiting in Setup Assistant (`AwaitingConfiguration`) that have
 * not been sent DeviceConfigured since this enrollment. Reads the MDM check-in's devices (the
 * enrollment facts) next to this feature's ABM devices, joined by host.
 */
export async function devicesAwaitingConfiguration(
  db: Db,
): Promise<{ serial: string; udid: string; enrolledAt: number }[]> {
  const rows = await db
    .selectFrom('mdm_abm_devices')
    .innerJoin('mdm_apple_devices', 'mdm_apple_devices.host_id', 'mdm_abm_devices.host_id')
    .select([
      'mdm_abm_devices.serial_number as serial',
      'mdm_apple_devices.id as udid',
      'mdm_apple_devices.enrolled_at as enrolled_at',
    ])
    .where('mdm_abm_devices.removed_at', 'is', null)
    .where('mdm_apple_devices.enrolled_at', 'is not', null)
    .where('mdm_apple_devices.awaiting_configuration', '=', 1)
    .where((eb) =>
      eb.or([
        eb('mdm_abm_devices.device_configured_at', 'is', null),
        eb('mdm_abm_devices.device_configured_at', '<', eb.ref('mdm_apple_devices.enrolled_at')),
      ]),
    )
    .limit(1000)
    .execute()
  return rows.map((r) => ({ serial: r.serial, udid: r.udid, enrolledAt: Number(r.enrolled_at) }))
}

async function markConfigured(db: Db, serial: string, now: number): Promise<void> {
  await db
    .updateTable('mdm_abm_devices')
    .set({ device_configured_at: now, updated_at: now })
    .where('serial_number', '=', serial)
    .execute()
}

/**
 * `mdm_apple_dep_device_configured`: queues DeviceConfigured (and pushes) for each ABM device that
 * enrolled during Setup Assistant, once per enrollment, so Setup Assistant goes on. Fleet first
 * runs its setup-experience steps; this server has none yet, so it releases the device as soon as
 * it is enrolled (the profiles the delivery cron queues still reach it after Setup Assistant).
 */
export async function sendDeviceConfigured(
  deps: Pick<Deps, 'db' | 'clock'>,
  queue: Pick<CommandQueue, 'enqueue'>,
): Promise<{ sent: number }> {
  let sent = 0
  for (const device of await devicesAwaitingConfiguration(deps.db)) {
    await queue.enqueue([device.udid], encodeCommand(randomUUID(), 'DeviceConfigured'))
    await markConfigured(deps.db, device.serial, deps.clock.now().getTime())
    sent += 1
  }
  return { sent }
}
