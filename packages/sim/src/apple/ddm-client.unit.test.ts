import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DdmClient, DdmProtocolError, type DdmSend } from './ddm-client.js'
import { FACTS } from '../test-utils/apple-device.js'

const FIXTURES = new URL('../../../../../shared/fixtures/mdm/', import.meta.url)
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Record<string, unknown>

const facts = FACTS

interface Served {
  identifier: string
  token: string
  json: Record<string, unknown>
  /** Serve an activation for it (Fleet's `<identifier>.activation`). */
  activate: boolean
}

/** A DDM server as the protocol describes it, recording each request. */
function fakeServer(declarations: Served[], declarationsToken: string) {
  const calls: { endpoint: string; data?: Record<string, unknown> }[] = []
  const reply = (json: unknown) => ({ status: 200, body: JSON.stringify(json) })
  const send: DdmSend = (endpoint, data) => {
    calls.push({
      endpoint,
      ...(data && { data: JSON.parse(data.toString('utf8')) as Record<string, unknown> }),
    })
    if (endpoint === 'tokens') {
      return Promise.resolve(
        reply({
          SyncTokens: { DeclarationsToken: declarationsToken, Timestamp: '2026-12-07T20:00:00Z' },
        }),
      )
    }
    if (endpoint === 'declaration-items') {
      const items = (list: Served[], suffix: string) =>
        list.map((d) => ({ Identifier: `${d.identifier}${suffix}`, ServerToken: d.token }))
      return Promise.resolve(
        reply({
          Declarations: {
            Activations: items(
              declarations.filter((d) => d.activate),
              '.activation',
            ),
            Configurations: items(declarations, ''),
            Assets: [],
            Management: [],
          },
          DeclarationsToken: declarationsToken,
        }),
      )
    }
    if (endpoint === 'status') {
      return Promise.resolve({ status: 200, body: '' })
    }
    const [, kind, id] = /^declaration\/(configuration|activation)\/(.+)$/.exec(endpoint) ?? []
    const configId = kind === 'activation' ? id?.replace(/\.activation$/, '') : id
    const found = declarations.find((d) => d.identifier === configId)
    if (!found) {
      return Promise.resolve({ status: 404, body: 'not found' })
    }
    if (kind === 'configuration') {
      return Promise.resolve(reply({ ...found.json, ServerToken: found.token }))
    }
    return Promise.resolve(
      reply({
        Identifier: id,
        Type: 'com.apple.activation.simple',
        ServerToken: found.token,
        Payload: { StandardConfigurations: [found.identifier] },
      }),
    )
  }
  return { send, calls }
}

const passcode = (): Served => {
  const json = fixture('passcode-settings.json')
  return { identifier: String(json.Identifier), token: 'A1B2C3', json, activate: true }
}

type Report = {
  StatusItems: { management: { declarations: Record<string, Record<string, unknown>[]> } }
}

describe('DdmClient', () => {
  it('syncs tokens → items → configuration and activation → a full status report shaped like status.1st.json', async () => {
    const server = fakeServer([passcode()], 'tok-1')
    const client = new DdmClient(facts)
    const result = await client.sync(server.send)
    expect(result).toEqual({ changed: true, fetched: 2, removed: 0, reported: 2 })
    expect(server.calls.map((c) => c.endpoint)).toEqual([
      'tokens',
      'declaration-items',
      'declaration/configuration/com.fleetdm.config.passcode.settings',
      'declaration/activation/com.fleetdm.config.passcode.settings.activation',
      'status',
    ])
    const report = server.calls[4]?.data as Report & Record<string, unknown>
    const first = fixture('status.1st.json') as Record<
      string,
      Record<string, Record<string, unknown>>
    >
    // The same sections and keys as the device's real first report.
    expect(Object.keys(report.StatusItems).sort()).toEqual(
      Object.keys(first.StatusItems ?? {}).sort(),
    )
    expect(Object.keys(report.StatusItems.management).sort()).toEqual(
      Object.keys(first.StatusItems?.management ?? {}).sort(),
    )
    expect(report.FullReport).toBe(true)
    expect(report.StatusItems.management.declarations.configurations).toEqual([
      {
        identifier: 'com.fleetdm.config.passcode.settings',
        'server-token': 'A1B2C3',
        active: true,
        valid: 'valid',
      },
    ])
    expect(report.StatusItems.management.declarations.activations).toEqual([
      expect.objectContaining({ 'server-token': 'A1B2C3', active: true, valid: 'valid' }),
    ])
    expect(client.declarationsToken).toBe('tok-1')
  })

  it('stops after tokens when the DeclarationsToken is the one applied', async () => {
    const server = fakeServer([passcode()], 'tok-1')
    const client = new DdmClient(facts)
    await client.sync(server.send)
    server.calls.length = 0
    expect(await client.sync(server.send)).toEqual({
      changed: false,
      fetched: 0,
      removed: 0,
      reported: 0,
    })
    expect(server.calls.map((c) => c.endpoint)).toEqual(['tokens'])
  })

  it("uses the command's SynchronizationTokens instead of asking tokens", async () => {
    const server = fakeServer([passcode()], 'tok-1')
    const client = new DdmClient(facts)
    await client.sync(server.send, {
      DeclarationsToken: 'tok-1',
      Timestamp: '2026-12-07T20:00:00Z',
    })
    expect(server.calls[0]?.endpoint).toBe('declaration-items')
  })

  it('removes by omission, refetches only changed tokens, and reports only what changed', async () => {
    const disk = fixture('Disk management settings.json')
    const other: Served = {
      identifier: String(disk.Identifier),
      token: 'D1',
      json: disk,
      activate: true,
    }
    const client = new DdmClient(facts)
    await client.sync(fakeServer([passcode(), other], 'tok-1').send)
    expect([...client.configurations.keys()]).toHaveLength(2)

    const changed = { ...passcode(), token: 'A9' }
    const server = fakeServer([changed], 'tok-2')
    expect(await client.sync(server.send)).toEqual({
      changed: true,
      fetched: 2,
      removed: 2,
      reported: 2,
    })
    expect([...client.configurations.keys()]).toEqual(['com.fleetdm.config.passcode.settings'])
    const delta = server.calls.at(-1)?.data as Report & Record<string, unknown>
    expect(delta.FullReport).toBe(false)
    expect(delta.StatusItems).not.toHaveProperty('device')
    expect(delta.StatusItems.management.declarations.configurations).toEqual([
      expect.objectContaining({ 'server-token': 'A9', valid: 'valid' }),
    ])
  })

  it('reports a configuration no activation names as unknown, like status.D0.error.json', async () => {
    const client = new DdmClient(facts)
    const server = fakeServer([{ ...passcode(), activate: false }], 'tok-1')
    await client.sync(server.send)
    const [config] =
      (server.calls.at(-1)?.data as Report).StatusItems.management.declarations.configurations ?? []
    const expected = fixture('status.D0.error.json') as unknown as Report
    const [real] = expected.StatusItems.management.declarations.configurations ?? []
    expect(Object.keys(config ?? {}).sort()).toEqual(Object.keys(real ?? {}).sort())
    expect(config).toMatchObject({
      active: false,
      valid: 'unknown',
      reasons: [
        {
          code: 'Info.NotReferencedByActivation',
          details: { Identifier: 'com.fleetdm.config.passcode.settings', ServerToken: 'A1B2C3' },
        },
      ],
    })
  })

  it('reports every configuration invalid when told to fail, and unknown types as unknown', async () => {
    const client = new DdmClient(facts)
    client.failConfigurations = true
    const odd: Served = {
      identifier: 'com.example.odd',
      token: 'O1',
      json: {
        Type: 'com.apple.configuration.nothing.like.this',
        Identifier: 'com.example.odd',
        Payload: {},
      },
      activate: true,
    }
    const server = fakeServer([passcode(), odd], 'tok-1')
    await client.sync(server.send)
    const configs = (server.calls.at(-1)?.data as Report).StatusItems.management.declarations
      .configurations
    expect(configs).toEqual([
      expect.objectContaining({
        valid: 'invalid',
        active: true,
        reasons: [expect.objectContaining({ code: 'Error.ConfigurationCannotBeApplied' })],
      }),
      expect.objectContaining({
        identifier: 'com.example.odd',
        valid: 'unknown',
        reasons: [expect.objectContaining({ code: 'Error.UnknownDeclarationType' })],
      }),
    ])
  })

  it('fails the sync on a declaration the server cannot serve, or tokens without a token', async () => {
    const client = new DdmClient(facts)
    const server = fakeServer([passcode()], 'tok-1')
    const broken: DdmSend = (endpoint, data) =>
      endpoint.startsWith('declaration/')
        ? Promise.resolve({ status: 404, body: '' })
        : server.send(endpoint, data)
    await expect(client.sync(broken)).rejects.toThrow(DdmProtocolError)
    expect(client.declarationsToken).toBeUndefined()
    await expect(client.sync(server.send, { SyncTokens: {} })).rejects.toThrow(/DeclarationsToken/)
  })
})
