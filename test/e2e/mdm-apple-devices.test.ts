import 'reflect-metadata'
import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { stopProcesses } from '@fleet/test-support'
import * as plist from 'plist'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LAB_DIALECTS, startAppleLab, type AppleLab } from './mdm/apple-lab.js'
import { assertBuilt, waitFor } from './support.js'

// 20 simulated Macs (4 of them busy: NotNow the first time a command is offered) enroll in
// `fleet serve`; a command run with fleetctl reaches them through real pushes: Fleet's APNs
// client → the simulator's fake APNs (HTTP/2, TLS, client certificate) → the device whose token
// it names, which wakes and drains its queue. The busy ones answer at their next check-in.

const SECRET = 'mdm-devices-e2e-secret'
const DEVICES = 20
const BUSY = 4

interface CommandResult {
  host_uuid: string
  status: string
  request_type: string
}

describe.each(LAB_DIALECTS)('20 simulated Macs with pushes on %s', (dialect) => {
  let lab: AppleLab | undefined

  beforeAll(async () => {
    assertBuilt()
    lab = await startAppleLab(dialect, SECRET, {
      count: DEVICES,
      connections: 8,
      checkinIntervalMs: 3000,
      answerShares: [{ mode: 'busy', fraction: BUSY / DEVICES }],
    })
    lab.fleet.start()
  }, 180_000)

  afterAll(async () => {
    await stopProcesses()
    await lab?.stop()
  })

  function theLab(): AppleLab {
    if (!lab) {
      throw new Error('the lab did not start')
    }
    return lab
  }

  async function results(uuid: string): Promise<CommandResult[]> {
    const res = await theLab().api('GET', `/api/latest/fleet/commands/results?command_uuid=${uuid}`)
    return res.results as CommandResult[]
  }

  it('every Mac enrolls and is one macOS host with MDM On (manual)', async () => {
    const { fleet, api } = theLab()
    await waitFor('20 enrolled devices', async () => fleet.enrolledCount() === DEVICES, {
      timeoutMs: 120_000,
    })
    expect(fleet.snapshot()).toMatchObject({ enrolled: DEVICES, enrollFailures: 0, errors: 0 })
    for (const { device } of fleet.members) {
      const { host } = (await api(
        'GET',
        `/api/latest/fleet/hosts/identifier/${device.facts.serial}`,
      )) as { host: { uuid: string; platform: string; mdm?: { enrollment_status: string } } }
      expect(host).toMatchObject({ uuid: device.facts.udid, platform: 'darwin' })
      expect(host.mdm?.enrollment_status).toBe('On (manual)')
    }
  }, 150_000)

  it('a command run with fleetctl is pushed to every Mac, which answers; busy ones at their next check-in', async () => {
    const { fleet, ok, dir } = theLab()
    const before = fleet.snapshot()
    const uuid = randomUUID()
    await writeFile(
      join(dir, 'devinfo.xml'),
      plist.build({
        CommandUUID: uuid,
        Command: { RequestType: 'DeviceInformation', Queries: ['UDID', 'SerialNumber'] },
      }),
    )
    const serials = fleet.members.map((m) => m.device.facts.serial)
    await ok('mdm', 'run-command', '--hosts', serials.join(','), '--payload', 'devinfo.xml')

    // every device was pushed (one push per enrollment) and woke up
    await waitFor(
      'a push to every device',
      async () => fleet.snapshot().pushes - before.pushes >= DEVICES,
    )
    const acknowledged = await waitFor(
      'all 20 acknowledged',
      async () => {
        const rows = await results(uuid)
        return rows.filter((r) => r.status === 'Acknowledged').length === DEVICES && rows
      },
      { timeoutMs: 60_000 },
    )
    expect(new Set(acknowledged.map((r) => r.host_uuid))).toEqual(
      new Set(fleet.members.map((m) => m.device.facts.udid)),
    )
    const after = fleet.snapshot()
    expect(after.statuses.NotNow ?? 0).toBeGreaterThanOrEqual(BUSY)
    expect(after.commands.DeviceInformation).toBeGreaterThanOrEqual(DEVICES + BUSY)
    expect(after.unknownPushes).toBe(0)
    expect(after.errors).toBe(0)
    await waitFor('every push converged', async () => fleet.snapshot().convergence.waiting === 0)
    expect(fleet.snapshot().convergence.count).toBeGreaterThanOrEqual(DEVICES)

    const printed = await ok('get', 'mdm-command-results', `--id=${uuid}`)
    // one table row per host (the devices' plists follow the table)
    const rows = printed.split('\n').filter((l) => /DeviceInformation.*Acknowledged/.test(l))
    expect(rows).toHaveLength(DEVICES)
    expect(printed).toContain(fleet.members[0]?.device.facts.udid)
  }, 120_000)
})
