import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import {
  commandIn,
  hostRows,
  startDdmTestbed,
  uploadDeclaration,
  type DdmTestbed,
} from '../../test-utils/ddm-kit.js'
import type { TestMdmDevice } from '../../test-utils/mdm-device.js'
import { MAX_SYNC_ATTEMPTS, retryDue } from './pending-timeout.js'
import { reconcileDeclarations } from './reconcile.cron.js'

const MINUTE = 60_000

describe('sync retry back-off', () => {
  it('doubles from 1 min and stops after the last attempt', () => {
    expect(retryDue(0, 1, MINUTE - 1)).toBe(false)
    expect(retryDue(0, 1, MINUTE)).toBe(true)
    expect(retryDue(0, 2, 2 * MINUTE - 1)).toBe(false)
    expect(retryDue(0, 3, 4 * MINUTE)).toBe(true)
    expect(retryDue(0, MAX_SYNC_ATTEMPTS, 10_000 * MINUTE)).toBe(false)
  })
})

describe.each(DIALECTS)('DDM: nothing sticks in pending [%s]', (dialect) => {
  let bed: DdmTestbed
  let device: TestMdmDevice
  const reconcile = () =>
    reconcileDeclarations({ deps: bed.t.deps, queue: bed.queue, pendingTimeoutMs: 60 * MINUTE })
  const queued = async () =>
    (
      await bed.t.database.db
        .selectFrom('mdm_enrollment_queue')
        .select('command_uuid')
        .where('enrollment_id', '=', device.udid)
        .execute()
    ).length

  beforeAll(async () => {
    bed = await startDdmTestbed(dialect)
    device = await bed.newDevice()
    await uploadDeclaration(bed, 'passcode-settings.json')
  })
  afterAll(() => bed.close())

  it('asks a silent host again with a doubling gap, then fails its rows after the timeout', async () => {
    expect(await reconcile()).toMatchObject({ hosts_synced: 1, sync_retries: 0 })
    expect(await queued()).toBe(1)
    expect(await reconcile()).toMatchObject({ hosts_synced: 0, sync_retries: 0 })

    bed.t.clock.advance(MINUTE)
    expect(await reconcile()).toMatchObject({ sync_retries: 1 })
    expect(await queued()).toBe(2)
    bed.t.clock.advance(MINUTE) // the next gap is 2 min
    expect(await reconcile()).toMatchObject({ sync_retries: 0 })
    bed.t.clock.advance(MINUTE)
    expect(await reconcile()).toMatchObject({ sync_retries: 1 })

    // The device acknowledges (verifying) but never reports a status.
    const command = commandIn((await device.report('Idle')).body)
    await device.report('Acknowledged', { CommandUUID: command?.uuid ?? '' })
    expect((await hostRows(bed.t, device.udid)).map((r) => r.status)).toEqual(['verifying'])

    bed.t.clock.advance(61 * MINUTE)
    expect(await reconcile()).toMatchObject({ expired: 1 })
    expect((await hostRows(bed.t, device.udid)).map((r) => [r.status, r.detail])).toEqual([
      ['failed', 'device did not confirm the profile in 1 h'],
    ])
    // Failed rows wait for a change; the host is not asked again.
    bed.t.clock.advance(60 * MINUTE)
    expect(await reconcile()).toMatchObject({ sync_retries: 0, expired: 0, hosts_synced: 0 })
  })
})
