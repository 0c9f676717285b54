import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { buildHost, buildTeam } from '../../test-utils/factories.js'
import { putHostProfile } from '../../test-utils/mdm-delivery-kit.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'

const P1 = 'a11111111-1111-1111-1111-111111111111'
const P2 = 'a22222222-2222-2222-2222-222222222222'
const D1 = 'd33333333-3333-3333-3333-333333333333'

/** Fleet's OS settings host filters: worst status over profiles and declarations, one profile's status. */
describe.each(DIALECTS)('host list OS settings filters [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let teamId: number

  const names = async (query: string) => {
    const res = await t.request('GET', `${FLEET_API}/hosts?team_id=${teamId}&${query}`, {
      token: admin,
    })
    expect(res.statusCode, res.body).toBe(200)
    return (res.data().hosts as { hostname: string }[]).map((h) => h.hostname).sort()
  }
  const refusal = async (query: string) => {
    const res = await t.request('GET', `${FLEET_API}/hosts?${query}`, { token: admin })
    expect(res.statusCode, res.body).toBe(400)
    return (res.data().errors as { name: string }[])[0]?.name
  }

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    teamId = (await buildTeam(t.deps.db, { name: 'Macs' })).id
    const host = async (hostname: string) =>
      (await buildHost(t.deps.db, { teamId, vitals: { hostname, platform: 'darwin' } })).uuid
    const rows: [string, string, string | null, ('install' | 'remove')?][] = [
      // host, profile, status, operation
      ['failed', P1, 'verified'],
      ['failed', P2, 'failed'],
      ['pending', P1, 'verified'],
      ['pending', P2, null],
      ['removing', P1, 'verified', 'remove'],
      ['verifying', P1, 'verifying'],
      ['verifying', P2, 'verified'],
      ['verified', P1, 'verified'],
      ['decl-failed', P1, 'verified'],
    ]
    const uuids: Record<string, string> = {}
    for (const [name, profile, status, operation] of rows) {
      uuids[name] ??= await host(name)
      await putHostProfile(t.deps.db, {
        hostUuid: uuids[name],
        profileUuid: profile,
        status,
        operation,
      })
    }
    await host('none')
    await t.deps.db
      .insertInto('host_mdm_apple_declarations')
      .values({
        host_uuid: uuids['decl-failed']!,
        declaration_uuid: D1,
        declaration_identifier: 'com.example.decl',
        declaration_name: 'Passcode',
        status: 'failed',
        operation_type: 'install',
        detail: 'invalid',
        token: 'AB'.repeat(16),
        secrets_updated_at: null,
        resync: 0,
        updated_at: t.clock.ms,
      })
      .execute()
  })
  afterAll(() => t.close())

  it('filters by the worst status over profiles and declarations', async () => {
    expect(await names('os_settings=failed')).toEqual(['decl-failed', 'failed'])
    expect(await names('os_settings=pending')).toEqual(['pending', 'removing'])
    expect(await names('os_settings=verifying')).toEqual(['verifying'])
    expect(await names('os_settings=verified')).toEqual(['verified'])
    expect(await names('macos_settings=failed')).toEqual(['decl-failed', 'failed'])
    const count = await t.request(
      'GET',
      `${FLEET_API}/hosts/count?team_id=${teamId}&os_settings=pending`,
      {
        token: admin,
      },
    )
    expect(count.data().count).toBe(2)
  })

  it('filters by one profile’s status (not sent counts as pending; removals are not its hosts)', async () => {
    expect(await names(`profile_uuid=${P1}&profile_status=verified`)).toEqual([
      'decl-failed',
      'failed',
      'pending',
      'verified',
    ])
    expect(await names(`profile_uuid=${P2}&profile_status=pending`)).toEqual(['pending'])
    expect(await names(`profile_uuid=${P2}&profile_status=failed`)).toEqual(['failed'])
    expect(await names(`profile_uuid=${D1}&profile_status=failed`)).toEqual(['decl-failed'])
  })

  it('refuses bad values and a profile filter missing its pair (400)', async () => {
    expect(await refusal('os_settings=broken')).toBe('os_settings')
    expect(await refusal('macos_settings=done')).toBe('macos_settings')
    expect(await refusal(`profile_uuid=${P1}`)).toBe('profile_status')
    expect(await refusal('profile_status=failed')).toBe('profile_uuid')
    expect(await refusal(`profile_uuid=${P1}&profile_status=removed`)).toBe('profile_status')
  })
})
