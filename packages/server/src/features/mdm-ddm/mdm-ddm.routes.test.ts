import { createHash } from 'node:crypto'
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
import { fixture } from '../../test-utils/mdm-profiles-kit.js'
import type { TestMdmDevice } from '../../test-utils/mdm-device.js'
import { reconcileDeclarations } from './reconcile.cron.js'

const PASSCODE = 'com.fleetdm.config.passcode.settings'
const DISK = 'com.fleetdm.config.diskmanagement.settings'
const md5 = (s: string) => createHash('md5').update(s).digest('hex')

describe.each(DIALECTS)('DDM through the check-in endpoint [%s]', (dialect) => {
  let bed: DdmTestbed
  let device: TestMdmDevice
  const reconcile = () =>
    reconcileDeclarations({
      deps: bed.t.deps,
      queue: bed.queue,
      pendingTimeoutMs: bed.t.deps.config.mdm.apple_profile_pending_timeout,
    })

  beforeAll(async () => {
    bed = await startDdmTestbed(dialect)
    device = await bed.newDevice()
  })
  afterAll(() => bed.close())

  it('happy path: reconcile → push → command → Acknowledged → tokens, items, declarations → status → verified', async () => {
    await uploadDeclaration(bed, 'passcode-settings.json')
    bed.t.clock.advance(1000) // uploaded later: listed first
    await uploadDeclaration(bed, 'Disk management settings.json')

    const run = await reconcile()
    expect(run).toMatchObject({ hosts: 1, rows_written: 2, hosts_synced: 1 })
    expect((await hostRows(bed.t, device.udid)).map((r) => [r.identifier, r.status])).toEqual([
      [DISK, 'pending'],
      [PASSCODE, 'pending'],
    ])
    const [push] = await bed.apns.waitForPushes(1)
    expect(push).toMatchObject({
      token: device.token.toString('hex'),
      body: { mdm: device.pushMagic },
    })

    // Nothing changed: a second run writes nothing and asks nobody to sync.
    expect(await reconcile()).toMatchObject({ rows_written: 0, hosts_synced: 0 })

    const command = commandIn((await device.report('Idle')).body)
    expect(command?.requestType).toBe('DeclarativeManagement')
    expect(
      (await device.report('Acknowledged', { CommandUUID: command?.uuid ?? '' })).statusCode,
    ).toBe(200)
    expect((await hostRows(bed.t, device.udid)).map((r) => r.status)).toEqual([
      'verifying',
      'verifying',
    ])

    const rows = await hostRows(bed.t, device.udid)
    const token = (identifier: string) => rows.find((r) => r.identifier === identifier)?.token ?? ''
    // The upper-case MD5 of the file as uploaded (no secrets): the stored ServerToken.
    expect(token(PASSCODE)).toBe(md5(fixture('passcode-settings.json')).toUpperCase())
    // Disk management was uploaded last: it comes first.
    const expected = md5(`2${token(DISK)}${token(PASSCODE)}`)
    const tokens = await ddmJson(device, 'tokens')
    expect(tokens).toEqual({
      SyncTokens: {
        DeclarationsToken: expected,
        Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      },
    })

    const items = await ddmJson(device, 'declaration-items')
    expect(items).toEqual({
      Declarations: {
        Activations: [
          { Identifier: `${DISK}.activation`, ServerToken: token(DISK) },
          { Identifier: `${PASSCODE}.activation`, ServerToken: token(PASSCODE) },
        ],
        Configurations: [
          { Identifier: DISK, ServerToken: token(DISK) },
          { Identifier: PASSCODE, ServerToken: token(PASSCODE) },
        ],
        Assets: [],
        Management: [],
      },
      DeclarationsToken: expected,
    })

    const config = await ddmJson(device, `declaration/configuration/${PASSCODE}`)
    expect(config).toEqual({
      ...(JSON.parse(fixture('passcode-settings.json')) as object),
      ServerToken: token(PASSCODE),
    })
    expect(await ddmJson(device, `declaration/activation/${PASSCODE}.activation`)).toEqual({
      Identifier: `${PASSCODE}.activation`,
      Type: 'com.apple.activation.simple',
      ServerToken: token(PASSCODE),
      Payload: { StandardConfigurations: [PASSCODE] },
    })

    const report = statusReport(
      [PASSCODE, DISK].map((identifier) => ({
        identifier,
        'server-token': token(identifier),
        active: true,
        valid: 'valid',
      })),
      true,
    )
    expect(await ddmJson(device, 'status', report)).toEqual({})
    expect((await hostRows(bed.t, device.udid)).map((r) => r.status)).toEqual([
      'verified',
      'verified',
    ])

    const logged = await bed.t.database.db
      .selectFrom('mdm_apple_declarative_requests')
      .select(['message_type', 'raw_json'])
      .where('enrollment_id', '=', device.udid)
      .orderBy('id')
      .execute()
    expect(logged.map((l) => l.message_type)).toEqual([
      'tokens',
      'declaration-items',
      `declaration/configuration/${PASSCODE}`,
      `declaration/activation/${PASSCODE}.activation`,
      'status',
    ])
    expect(JSON.parse(String(logged.at(-1)?.raw_json))).toEqual(report)
  })

  it('failures from the fixture reports: invalid → failed with reasons; unknown + NotReferencedByActivation → failed', async () => {
    const rows = await hostRows(bed.t, device.udid)
    const token = (identifier: string) => rows.find((r) => r.identifier === identifier)?.token ?? ''
    const real = JSON.parse(
      fixture('A047820F-FC6B-4104-BED0-466876D82BB8.20220628-103225.001918.status.json'),
    ) as ReturnType<typeof statusReport>
    const failing = structuredClone(real) as {
      StatusItems: { management: { declarations: { configurations: Record<string, unknown>[] } } }
    }
    const configurations = failing.StatusItems.management.declarations.configurations
    const [invalid] = configurations
    configurations.splice(0, configurations.length, {
      ...invalid,
      identifier: PASSCODE,
      'server-token': token(PASSCODE),
    })
    expect((await ddm(device, 'status', failing)).statusCode).toBe(200)

    const unreferenced = JSON.parse(fixture('status.D0.error.json')) as typeof failing
    const [item] = unreferenced.StatusItems.management.declarations.configurations
    unreferenced.StatusItems.management.declarations.configurations = [
      { ...item, identifier: DISK, 'server-token': token(DISK) },
    ]
    expect((await ddm(device, 'status', unreferenced)).statusCode).toBe(200)

    const after = await hostRows(bed.t, device.udid)
    expect(after.map((r) => [r.identifier, r.status, r.detail])).toEqual([
      [DISK, 'failed', expect.stringContaining('Info.NotReferencedByActivation')],
      [
        PASSCODE,
        'failed',
        'Error.ConfigurationCannotBeApplied: Configuration cannot be applied (Error: An internal error has occurred.)',
      ],
    ])

    // A report about declarations this server never sent the host: ignored, not an error.
    const stranger = statusReport([
      { identifier: 'com.example.other', 'server-token': 'nope', active: true, valid: 'valid' },
    ])
    expect((await ddm(device, 'status', stranger)).statusCode).toBe(200)
    expect((await hostRows(bed.t, device.udid)).map((r) => r.status)).toEqual(['failed', 'failed'])
  })

  it('refuses bad requests with 400 or 404, never 401, and logs them', async () => {
    const before = await bed.t.database.db
      .selectFrom('mdm_apple_declarative_requests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const cases: [string, unknown, number, string][] = [
      ['bogus', undefined, 400, 'unknown DDM endpoint'],
      ['declaration/configuration/', undefined, 400, 'unknown DDM endpoint'],
      ['declaration/asset/x', undefined, 404, 'not found'],
      ['declaration/management/x', undefined, 404, 'not found'],
      ['declaration/configuration/com.example.missing', undefined, 404, 'not found'],
      [`declaration/activation/${PASSCODE}`, undefined, 404, 'not found'],
      ['status', undefined, 400, 'status needs Data'],
      ['status', Buffer.from('{not json'), 400, 'not valid JSON'],
      ['status', { StatusItems: 'x' }, 400, 'not a status report'],
      ['status', Buffer.alloc(1024 * 1024 + 1, 0x20), 400, 'DDM Data over'],
    ]
    for (const [endpoint, data, code, reason] of cases) {
      const res = await ddm(device, endpoint, data)
      expect([endpoint, res.statusCode]).toEqual([endpoint, code])
      expect(res.body).toContain(reason)
    }
    const after = await bed.t.database.db
      .selectFrom('mdm_apple_declarative_requests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(after.n) - Number(before.n)).toBe(cases.length)
  })

  it('an Error result fails the pending installs with the error chain', async () => {
    const other = await bed.newDevice()
    await reconcile()
    const command = commandIn((await other.report('Idle')).body)
    expect(command?.requestType).toBe('DeclarativeManagement')
    await other.report('Error', {
      CommandUUID: command?.uuid ?? '',
      ErrorChain: [
        {
          ErrorCode: 4,
          ErrorDomain: 'RMErrorDomain',
          LocalizedDescription: 'Nope',
          USEnglishDescription: 'DDM is off',
        },
      ],
    })
    expect((await hostRows(bed.t, other.udid)).map((r) => [r.status, r.detail])).toEqual([
      ['failed', 'DDM is off (RMErrorDomain: 4)'],
      ['failed', 'DDM is off (RMErrorDomain: 4)'],
    ])
  })
})
