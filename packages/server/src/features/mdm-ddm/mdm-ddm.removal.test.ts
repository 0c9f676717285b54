import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import {
  commandIn,
  ddm,
  ddmJson,
  hostRows,
  startDdmTestbed,
  statusReport,
  uploadDeclaration,
  type DdmTestbed,
} from '../../test-utils/ddm-kit.js'
import { PROFILES } from '../../test-utils/mdm-profiles-kit.js'
import type { TestMdmDevice } from '../../test-utils/mdm-device.js'
import { reconcileDeclarations } from './reconcile.cron.js'

const PASSCODE = 'com.fleetdm.config.passcode.settings'
const DISK = 'com.fleetdm.config.diskmanagement.settings'

describe.each(DIALECTS)('DDM removal and the resync race [%s]', (dialect) => {
  let bed: DdmTestbed
  let device: TestMdmDevice
  const reconcile = () =>
    reconcileDeclarations({
      deps: bed.t.deps,
      queue: bed.queue,
      pendingTimeoutMs: bed.t.deps.config.mdm.apple_profile_pending_timeout,
    })
  const remove = async (uuid: string) => {
    const res = await bed.t.request('DELETE', `${PROFILES}/${uuid}`, { token: bed.admin })
    expect(res.statusCode, res.body).toBe(200)
  }
  /** The device drains its queue: every DeclarativeManagement command acknowledged. */
  const acknowledgeAll = async () => {
    let answer = await device.report('Idle')
    for (let command = commandIn(answer.body); command; command = commandIn(answer.body)) {
      expect(command.requestType).toBe('DeclarativeManagement')
      answer = await device.report('Acknowledged', { CommandUUID: command.uuid })
    }
  }
  /** A full status report: every install row valid and active. */
  const reportAllValid = async () => {
    const rows = (await hostRows(bed.t, device.udid)).filter((r) => r.operation === 'install')
    const report = statusReport(
      rows.map((r) => ({
        identifier: r.identifier,
        'server-token': r.token,
        active: true,
        valid: 'valid',
      })),
      true,
    )
    expect(await ddmJson(device, 'status', report)).toEqual({})
  }
  let passcode = ''

  beforeAll(async () => {
    bed = await startDdmTestbed(dialect)
    device = await bed.newDevice()
    passcode = await uploadDeclaration(bed, 'passcode-settings.json')
    await uploadDeclaration(bed, 'Disk management settings.json')
    await reconcile()
    await acknowledgeAll()
    await reportAllValid()
  })
  afterAll(() => bed.close())

  it('deleting a declaration removes it: token changes, items omit it, the report clears the row', async () => {
    const before = await ddmJson(device, 'tokens')
    await remove(passcode)
    expect(await reconcile()).toMatchObject({ rows_written: 1, hosts_synced: 1 })
    const removing = (await hostRows(bed.t, device.udid)).find((r) => r.identifier === PASSCODE)
    expect(removing).toMatchObject({ operation: 'remove', status: null })
    await acknowledgeAll()

    const after = await ddmJson(device, 'tokens')
    expect(after).not.toEqual(before)
    const items = (await ddmJson(device, 'declaration-items')) as {
      Declarations: { Configurations: { Identifier: string }[] }
    }
    expect(items.Declarations.Configurations.map((c) => c.Identifier)).toEqual([DISK])
    expect(
      (await hostRows(bed.t, device.udid)).find((r) => r.identifier === PASSCODE)?.status,
    ).toBe('pending')
    expect((await ddm(device, `declaration/configuration/${PASSCODE}`)).statusCode).toBe(404)
  })

  it('a report without the removed declaration deletes its row', async () => {
    await reportAllValid()
    expect((await hostRows(bed.t, device.udid)).map((r) => [r.identifier, r.status])).toEqual([
      [DISK, 'verified'],
    ])
  })
  it('resync race: deleted and re-added with the same JSON before the device synced → verified, resync sent', async () => {
    const disk = (await hostRows(bed.t, device.udid)).find((r) => r.identifier === DISK)
    await remove(disk?.uuid ?? '')
    await reconcile()
    expect((await hostRows(bed.t, device.udid)).map((r) => [r.operation, r.status])).toEqual([
      ['remove', null],
    ])
    const readded = await uploadDeclaration(bed, 'Disk management settings.json')
    const run = await reconcile()
    expect(run).toMatchObject({ hosts_synced: 1 })
    expect(await hostRows(bed.t, device.udid)).toEqual([
      expect.objectContaining({
        uuid: readded,
        operation: 'install',
        status: 'verified',
        token: disk?.token,
        resync: 0,
      }),
    ])
    // The forced sync: a DeclarativeManagement command is waiting for the device.
    expect(commandIn((await device.report('Idle')).body)?.requestType).toBe('DeclarativeManagement')
  })
})
