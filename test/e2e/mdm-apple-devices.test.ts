import 'reflect-metadata'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
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
/** Devices that report every DDM configuration invalid. */
const INVALID = 2
const FIXTURES = new URL('../../../shared/fixtures/mdm/', import.meta.url)

const screensaver = {
  name: 'Sim screensaver',
  contents: Buffer.from(
    plist.build({
      PayloadType: 'Configuration',
      PayloadVersion: 1,
      PayloadIdentifier: 'com.example.sim.screensaver',
      PayloadUUID: randomUUID().toUpperCase(),
      PayloadDisplayName: 'Sim screensaver',
      PayloadContent: [
        {
          PayloadType: 'com.apple.screensaver',
          PayloadVersion: 1,
          PayloadIdentifier: 'com.example.sim.screensaver.payload',
          PayloadUUID: randomUUID().toUpperCase(),
          idleTime: 300,
        },
      ],
    }),
  ).toString('base64'),
}

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
      answerShares: [
        { mode: 'busy', fraction: BUSY / DEVICES },
        { mode: 'invalid-declarations', fraction: INVALID / DEVICES },
      ],
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
    const snapshot = fleet.snapshot()
    // the server's log around the error reference, for whoever meets a failure here
    const ref = /reference ([0-9a-f-]+)/.exec(snapshot.lastError ?? '')?.[1]
    const log = theLab().server.output()
    const at = ref === undefined ? -1 : log.indexOf(ref)
    const context = at === -1 ? '' : log.slice(Math.max(0, at - 3000), at + 3000)
    expect(snapshot.enrollFailures, `${snapshot.lastError}\n${context}`).toBe(0)
    expect(snapshot.errors, snapshot.lastError).toBe(0)
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

  async function profileStatus(uuid: string | undefined) {
    return (await theLab().api(
      'GET',
      `/api/latest/fleet/configuration_profiles/${uuid}/status`,
    )) as { verified: number; verifying: number; pending: number; failed: number }
  }

  async function uuidOf(name: string): Promise<string | undefined> {
    const listed = (await theLab().api('GET', '/api/latest/fleet/configuration_profiles')) as {
      profiles: { profile_uuid: string; name: string }[]
    }
    return listed.profiles.find((p) => p.name === name)?.profile_uuid
  }

  it('a profile uploaded for No team reaches every Mac and is verified on each (ProfileList)', async () => {
    const { fleet, api } = theLab()
    await api('POST', '/api/latest/fleet/mdm/profiles/batch', { profiles: [screensaver] })
    const uuid = await uuidOf('Sim screensaver')
    expect(uuid).toMatch(/^a/)
    // the reconcile cron (30 s) sends it, the next run asks ProfileList of the acknowledged ones
    const status = await waitFor(
      'the profile verified on all 20',
      async () => {
        const s = await profileStatus(uuid)
        return s.verified === DEVICES && s
      },
      { timeoutMs: 150_000, intervalMs: 1000 },
    )
    expect(status).toEqual({ verified: DEVICES, verifying: 0, pending: 0, failed: 0 })
    for (const { device } of fleet.members) {
      expect(device.profiles.get('com.example.sim.screensaver')).toMatchObject({
        PayloadDisplayName: 'Sim screensaver',
      })
    }
    expect(fleet.snapshot().commands).toMatchObject({
      InstallProfile: expect.any(Number),
      ProfileList: expect.any(Number),
    })
    expect(fleet.snapshot().errors).toBe(0)
  }, 200_000)

  it('a declaration reaches every Mac over DDM: verified, failed where it cannot apply, removed by omission', async () => {
    const { fleet, api } = theLab()
    const passcode = readFileSync(new URL('passcode-settings.json', FIXTURES))
    await api('POST', '/api/latest/fleet/mdm/profiles/batch', {
      profiles: [screensaver, { name: 'Passcode settings', contents: passcode.toString('base64') }],
    })
    const uuid = await uuidOf('Passcode settings')
    expect(uuid).toMatch(/^d/)
    const status = await waitFor(
      'the declaration verified or failed on all 20',
      async () => {
        const s = await profileStatus(uuid)
        return s.verified + s.failed === DEVICES && s
      },
      { timeoutMs: 150_000, intervalMs: 1000 },
    )
    expect(status).toEqual({
      verified: DEVICES - INVALID,
      verifying: 0,
      pending: 0,
      failed: INVALID,
    })
    const holding = fleet.members.filter((m) =>
      m.device.ddm.configurations.has('com.fleetdm.config.passcode.settings'),
    )
    expect(holding).toHaveLength(DEVICES)
    expect(fleet.snapshot().ddm.reports).toBeGreaterThanOrEqual(DEVICES)

    // removal by omission: the batch without it; every Mac drops it at its next sync
    await api('POST', '/api/latest/fleet/mdm/profiles/batch', { profiles: [screensaver] })
    await waitFor(
      'every Mac dropped the declaration',
      async () => fleet.members.every((m) => m.device.ddm.configurations.size === 0),
      { timeoutMs: 150_000, intervalMs: 1000 },
    )
    expect(fleet.members.every((m) => m.device.ddm.activations.size === 0)).toBe(true)
    expect(fleet.snapshot().errors).toBe(0)
  }, 400_000)
})
