import { randomBytes, randomUUID } from 'node:crypto'
import type { Db } from '../db/database.js'
import { saveTokenUpdate } from '../features/mdm-commands/index.js'
import { buildHost } from './factories.js'

/** A host row for one profile, written as delivery would have (tests of what reads them). */
export async function putHostProfile(
  db: Db,
  row: {
    hostUuid: string
    profileUuid: string
    status: string | null
    operation?: 'install' | 'remove'
    detail?: string | null
    identifier?: string
    name?: string
    checksum?: string
    commandUuid?: string | null
    updatedAt?: number
  },
): Promise<void> {
  await db
    .insertInto('host_mdm_apple_profiles')
    .values({
      host_uuid: row.hostUuid,
      profile_uuid: row.profileUuid,
      profile_identifier: row.identifier ?? 'com.example.dock',
      profile_name: row.name ?? 'Dock settings',
      status: row.status,
      operation_type: row.operation ?? 'install',
      detail: row.detail ?? null,
      command_uuid: row.commandUuid ?? null,
      checksum: row.checksum ?? '00'.repeat(16),
      updated_at: row.updatedAt ?? Date.now(),
    })
    .execute()
}

/**
 * A host MDM-enrolled as check-in leaves it (device bound to the host, device channel enabled),
 * without a device behind it: for tests of what the reconcile cron queues.
 */
export async function mdmEnrolledHost(
  db: Db,
  options: { teamId?: number | null; now: number },
): Promise<{ id: number; uuid: string; enrollmentId: string }> {
  const udid = randomUUID().toUpperCase()
  const host = await buildHost(db, {
    teamId: options.teamId ?? null,
    vitals: { platform: 'darwin', uuid: udid },
  })
  await db
    .insertInto('mdm_apple_devices')
    .values({
      id: udid,
      cert_sha256: randomBytes(32).toString('hex'),
      host_id: host.id,
      enrolled_at: options.now,
      checked_out_at: null,
      bootstrap_token: null,
      created_at: options.now,
      updated_at: options.now,
    })
    .execute()
  await saveTokenUpdate(
    db,
    {
      id: udid,
      deviceId: udid,
      userId: null,
      type: 'Device',
      topic: 'com.apple.mgmt.External.delivery-test',
      pushMagic: `magic-${udid}`,
      tokenHex: randomBytes(32).toString('hex'),
    },
    options.now,
  )
  return { id: host.id, uuid: udid, enrollmentId: udid }
}
