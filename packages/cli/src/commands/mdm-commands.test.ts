import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { FLEET_API } from '@fleet/test-support'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeFleet, type FakeFleet } from '../test-utils/fake-fleet.js'
import { hostFixture } from '../test-utils/fixtures.js'
import { createHarness, type Harness } from '../test-utils/harness.js'
import { NO_HOSTS_TARGETED } from './mdm-commands.js'

const PAYLOAD = `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict><key>Command</key><dict><key>RequestType</key>
<string>RestartDevice</string></dict><key>CommandUUID</key><string>0001_Restart</string></dict></plist>
`
const REPORT = '<plist><dict><key>Status</key><string>Acknowledged</string></dict></plist>'
const b64 = (s: string) => Buffer.from(s).toString('base64')
const ROW = {
  host_uuid: 'UUID-1',
  command_uuid: '0001_Restart',
  status: 'Acknowledged',
  updated_at: '2026-12-07T12:00:00Z',
  request_type: 'RestartDevice',
  hostname: 'mbp-1',
}

let h: Harness
let fleet: FakeFleet
beforeEach(async () => {
  h = await createHarness()
  fleet = await startFakeFleet({
    [`GET ${FLEET_API}/hosts/identifier/mbp-1`]: () => ({
      body: { host: hostFixture({ uuid: 'UUID-1' }) },
    }),
    [`GET ${FLEET_API}/hosts/identifier/mbp-2`]: () => ({
      body: { host: hostFixture({ id: 2, uuid: 'UUID-2' }) },
    }),
    [`GET ${FLEET_API}/hosts/identifier/nope`]: () => ({
      status: 404,
      body: {
        message: 'Resource Not Found',
        errors: [{ name: 'base', reason: 'Host was not found' }],
      },
    }),
    [`POST ${FLEET_API}/commands/run`]: (req) => {
      const body = req.body as { host_uuids: string[] }
      if (body.host_uuids.includes('UUID-2')) {
        const reason =
          "Can't run the MDM command because one or more hosts have MDM turned off. Run the following command to see a list of hosts with MDM on: fleetctl get hosts --mdm."
        return {
          status: 400,
          body: { message: 'Bad request', errors: [{ name: 'host_uuids', reason }] },
        }
      }
      return {
        body: { command_uuid: '0001_Restart', request_type: 'RestartDevice', platform: 'darwin' },
      }
    },
    [`GET ${FLEET_API}/commands`]: (req) => ({
      body: {
        results: req.query.get('request_type') === 'None' ? [] : [{ ...ROW, team_id: null }],
      },
    }),
    [`GET ${FLEET_API}/commands/results`]: (req) =>
      req.query.get('command_uuid') === '0001_Restart'
        ? { body: { results: [{ ...ROW, payload: b64(PAYLOAD), result: b64(REPORT) }] } }
        : {
            status: 404,
            body: {
              message: 'Resource Not Found',
              errors: [{ name: 'base', reason: 'MDM command was not found' }],
            },
          },
  })
  await h.login(fleet.url, 'tok')
  await writeFile(join(h.dir, 'restart.xml'), PAYLOAD)
})
afterEach(async () => {
  await fleet.close()
  await h.cleanup()
})

describe('mdm run-command', () => {
  it('resolves the hosts and sends the payload base64, then says how to see results', async () => {
    const res = await h.fleetctl([
      'mdm',
      'run-command',
      '--hosts',
      'mbp-1',
      '--payload',
      'restart.xml',
    ])
    expect(res.err).toBe('')
    expect(res.code).toBe(0)
    expect(res.out).toContain('fleetctl get mdm-command-results --id=0001_Restart')
    const run = fleet.requests.find((r) => r.path.endsWith('/commands/run'))
    expect(run?.body).toEqual({ command: b64(PAYLOAD), host_uuids: ['UUID-1'] })
  })
  it("refuses unknown hosts with Fleet's message, and prints the server's refusal", async () => {
    const unknown = await h.fleetctl([
      'mdm',
      'run-command',
      '--hosts',
      'nope',
      '--payload',
      'restart.xml',
    ])
    expect(unknown.code).not.toBe(0)
    expect(unknown.err).toContain(NO_HOSTS_TARGETED)
    const off = await h.fleetctl([
      'mdm',
      'run-command',
      '--hosts',
      'mbp-1,mbp-2',
      '--payload',
      'restart.xml',
    ])
    expect(off.code).not.toBe(0)
    expect(off.err).toContain('one or more hosts have MDM turned off')
    const missing = await h.fleetctl([
      'mdm',
      'run-command',
      '--hosts',
      'mbp-1',
      '--payload',
      'nope.xml',
    ])
    expect(missing.code).not.toBe(0)
    expect(missing.err).toContain('read payload')
    expect(fleet.requests.filter((r) => r.path.endsWith('/commands/run'))).toHaveLength(1)
  })
})

describe('get mdm-commands and mdm-command-results', () => {
  it('prints the commands table, and a hint when there are none', async () => {
    const res = await h.fleetctl(['get', 'mdm-commands'])
    expect(res.out).toMatch(
      /\| 0001_Restart \| 2026-12-07T12:00:00Z \| RestartDevice \| Acknowledged \| mbp-1 +\|/,
    )
    const none = await h.fleetctl(['get', 'mdm-commands', '--type', 'None'])
    expect(none.out).toContain("You haven't run any MDM commands.")
  })
  it("prints each host's status and the device's answer; a 404 for an unknown id", async () => {
    const res = await h.fleetctl(['get', 'mdm-command-results', '--id', '0001_Restart'])
    expect(res.code).toBe(0)
    expect(res.out).toMatch(/\| 0001_Restart \| .* \| RestartDevice \| Acknowledged \| mbp-1 +\|/)
    expect(res.out).toContain(REPORT)
    const unknown = await h.fleetctl(['get', 'mdm-command-results', '--id', 'nope'])
    expect(unknown.code).not.toBe(0)
    expect(unknown.err).toContain("The command doesn't exist.")
  })
})
