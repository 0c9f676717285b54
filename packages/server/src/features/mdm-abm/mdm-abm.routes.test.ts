import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSelfSignedCa } from '../../platform/pki/x509.js'
import {
  ABM_PUBLIC_KEY,
  ABM_TOKENS,
  abmPublicKeyPem,
  uploadAbmTokenFile,
} from '../../test-utils/abm-kit.js'
import { DIALECTS } from '../../test-utils/databases.js'
import { makeAbmTokenFile, startFakeAbm, type FakeAbm } from '../../test-utils/fake-abm.js'
import { TEST_SERVER_PRIVATE_KEY } from '../../test-utils/mdm-kit.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'

describe.each(DIALECTS)('ABM tokens [%s]', (dialect) => {
  let t: TestServer
  let abm: FakeAbm
  let admin: string
  let maintainer: string
  let cert: string

  beforeAll(async () => {
    abm = await startFakeAbm({ adminId: 'abm-admin@example.com' })
    t = await startTestServer(dialect, {
      flags: {
        'server.private_key': TEST_SERVER_PRIVATE_KEY,
        'mdm.apple_business_manager_url': abm.url,
      },
    })
    admin = await t.setupAdmin()
    maintainer = (await t.createUser(admin, { email: 'm@example.com', globalRole: 'maintainer' }))
      .token
    cert = await abmPublicKeyPem(t, admin)
  })
  afterAll(async () => {
    await t.close()
    await abm.close()
  })

  const inAYear = () => new Date(t.clock.now().getTime() + 365 * 86_400_000)
  const codeOf = (res: { data(): Record<string, unknown> }) => res.data().code

  it('hands out one public key certificate, to global admins only', async () => {
    expect(cert).toMatch(/^-----BEGIN CERTIFICATE-----/)
    expect(await abmPublicKeyPem(t, admin)).toBe(cert)
    const res = await t.request('GET', ABM_PUBLIC_KEY, { token: maintainer })
    expect(res.statusCode).toBe(403)
    expect((await t.request('GET', ABM_PUBLIC_KEY)).statusCode).toBe(401)
  })

  it('refuses malformed, foreign, expired and ABM-refused tokens with a 400, storing nothing', async () => {
    const other = await createSelfSignedCa({ name: 'CN=other', years: 1, now: new Date() })
    const bad = [
      'not a token at all',
      makeAbmTokenFile(other.certPem, abm.credentials, inAYear()),
      makeAbmTokenFile(cert, abm.credentials, new Date(t.clock.now().getTime() - 1000)),
      makeAbmTokenFile(cert, { ...abm.credentials, accessSecret: 'AS_wrong' }, inAYear()),
    ]
    for (const file of bad) {
      const res = await uploadAbmTokenFile(t, admin, file)
      expect(res.statusCode).toBe(400)
      expect(codeOf(res)).toBe('ABM_TOKEN_INVALID')
    }
    const missing = await t.request('POST', ABM_TOKENS, { token: admin, body: {} })
    expect(missing.statusCode).toBe(400)
    const list = await t.request('GET', ABM_TOKENS, { token: admin })
    expect(list.data().abm_tokens).toEqual([])
  })

  it('a maintainer may not upload, list, change or delete tokens', async () => {
    const file = makeAbmTokenFile(cert, abm.credentials, inAYear())
    expect((await uploadAbmTokenFile(t, maintainer, file)).statusCode).toBe(403)
    expect((await t.request('GET', ABM_TOKENS, { token: maintainer })).statusCode).toBe(403)
    expect((await t.request('DELETE', `${ABM_TOKENS}/1`, { token: maintainer })).statusCode).toBe(
      403,
    )
    const teams = { macos_team_id: null, ios_team_id: null, ipados_team_id: null }
    const patch = await t.request('PATCH', `${ABM_TOKENS}/1/teams`, {
      token: maintainer,
      body: teams,
    })
    expect(patch.statusCode).toBe(403)
  })

  it("uploads, lists in Fleet's shape, sets teams, renews and deletes a token", async () => {
    const expiry = inAYear()
    const res = await uploadAbmTokenFile(t, admin, makeAbmTokenFile(cert, abm.credentials, expiry))
    expect(res.statusCode).toBe(200)
    const token = res.data().abm_token as Record<string, unknown>
    expect(token).toMatchObject({
      org_name: abm.orgName,
      apple_id: 'abm-admin@example.com',
      renew_date: expiry.toISOString(),
      terms_expired: false,
      macos_team: { id: 0, name: 'No team' },
      ios_team: { id: 0, name: 'No team' },
      ipados_team: { id: 0, name: 'No team' },
    })
    const id = Number(token.id)

    // the OAuth secrets are stored sealed, never in clear
    const row = await t.database.db
      .selectFrom('mdm_abm_tokens')
      .select('credentials')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row.credentials).not.toContain(abm.credentials.consumerSecret)
    expect(row.credentials).not.toContain(abm.credentials.accessSecret)

    const again = await uploadAbmTokenFile(
      t,
      admin,
      makeAbmTokenFile(cert, abm.credentials, expiry),
    )
    expect(again.statusCode).toBe(409)
    expect(codeOf(again)).toBe('ABM_TOKEN_EXISTS')

    const team = await t.request('POST', `${FLEET_API}/teams`, {
      token: admin,
      body: { name: 'Workstations' },
    })
    const teamId = Number((team.data().team as { id: number }).id)
    const teams = { macos_team_id: teamId, ios_team_id: null, ipados_team_id: null }
    const patched = await t.request('PATCH', `${ABM_TOKENS}/${id}/teams`, {
      token: admin,
      body: teams,
    })
    expect(patched.statusCode).toBe(200)
    expect(patched.data().abm_token).toMatchObject({
      macos_team: { id: teamId, name: 'Workstations' },
    })
    const unknown = await t.request('PATCH', `${ABM_TOKENS}/${id}/teams`, {
      token: admin,
      body: { ...teams, ios_team_id: 999_999 },
    })
    expect(unknown.statusCode).toBe(400)
    expect(JSON.stringify(unknown.data().errors)).toContain('ios_team_id')

    const later = new Date(expiry.getTime() + 86_400_000)
    const renewed = await uploadAbmTokenFile(
      t,
      admin,
      makeAbmTokenFile(cert, abm.credentials, later),
      `${ABM_TOKENS}/${id}/renew`,
      'PATCH',
    )
    expect(renewed.statusCode).toBe(200)
    expect(renewed.data().abm_token).toMatchObject({ id, renew_date: later.toISOString() })
    const list = await t.request('GET', ABM_TOKENS, { token: admin })
    expect(list.data().abm_tokens).toEqual([
      expect.objectContaining({ id, macos_team: { id: teamId, name: 'Workstations' } }),
    ])

    expect((await t.request('DELETE', `${ABM_TOKENS}/${id}`, { token: admin })).statusCode).toBe(
      204,
    )
    const gone = await t.request('DELETE', `${ABM_TOKENS}/${id}`, { token: admin })
    expect(gone.statusCode).toBe(404)
    expect(codeOf(gone)).toBe('ABM_TOKEN_NOT_FOUND')
    const renewGone = await uploadAbmTokenFile(t, admin, 'x', `${ABM_TOKENS}/${id}/renew`, 'PATCH')
    expect(renewGone.statusCode).toBe(404)
  })
})

describe('ABM tokens without server.private_key', () => {
  let t: TestServer
  beforeAll(async () => {
    t = await startTestServer('sqlite')
  })
  afterAll(() => t.close())

  it('answers 409 SERVER_PRIVATE_KEY_MISSING rather than storing secrets unsealed', async () => {
    const admin = await t.setupAdmin()
    const res = await t.request('GET', ABM_PUBLIC_KEY, { token: admin })
    expect(res.statusCode).toBe(409)
    expect(res.data().code).toBe('SERVER_PRIVATE_KEY_MISSING')
    const upload = await uploadAbmTokenFile(t, admin, 'anything')
    expect(upload.statusCode).toBe(409)
  })
})
