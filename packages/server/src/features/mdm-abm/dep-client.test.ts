import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseOAuthHeader } from './oauth1.js'
import { startFakeAbm, type FakeAbm } from '../../test-utils/fake-abm.js'
import { createDepClient, DepApiError } from './dep-client.js'

const clock = { now: () => new Date() }

describe('DEP client against the fake ABM', () => {
  let abm: FakeAbm
  beforeAll(async () => {
    abm = await startFakeAbm()
  })
  afterAll(() => abm.close())

  const client = (credentials = abm.credentials) =>
    createDepClient({ baseUrl: abm.url, credentials, clock })

  it('opens a session with a signed OAuth header, then sends X-ADM-Auth-Session', async () => {
    abm.requests.length = 0
    const account = await client().account()
    expect(account.org_name).toBe(abm.orgName)
    const [session, call] = abm.requests
    expect(session?.path).toBe('/session')
    const oauth = parseOAuthHeader(String(session?.headers.authorization))
    expect(oauth?.get('oauth_consumer_key')).toBe(abm.credentials.consumerKey)
    expect(oauth?.get('oauth_signature_method')).toBe('HMAC-SHA1')
    expect(call?.path).toBe('/account')
    expect(call?.headers['x-adm-auth-session']).toBeTruthy()
    expect(call?.headers['x-server-protocol-version']).toBe('3')
  })

  it('is refused with wrong secrets (the fake checks the signature)', async () => {
    const bad = client({ ...abm.credentials, accessSecret: 'AS_wrong' })
    const err = await bad.account().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(DepApiError)
    expect((err as DepApiError).status).toBe(401)
    expect((err as DepApiError).path).toBe('/session')
  })

  it('makes a new session once when the old one expired (401), not more', async () => {
    const c = client()
    await c.account()
    abm.expireSessions()
    abm.requests.length = 0
    await c.account()
    expect(abm.requests.map((r) => r.path)).toEqual(['/account', '/session', '/account'])
    abm.fail('/account', 401, 'UNAUTHORIZED', 2)
    await expect(c.account()).rejects.toMatchObject({ status: 401 })
  })

  it('pages devices with cursors, then syncs changes since the last cursor', async () => {
    for (let i = 0; i < 5; i++) {
      abm.addDevice({ serial_number: `PAGE${i}` })
    }
    const c = client()
    const seen: string[] = []
    let cursor: string | undefined
    let more = true
    let pages = 0
    while (more) {
      const page = await c.fetchDevices(cursor, 2)
      seen.push(...page.devices.map((d) => d.serial_number))
      cursor = page.cursor
      more = page.more_to_follow
      pages += 1
    }
    expect(pages).toBe(3)
    expect(seen.sort()).toEqual(['PAGE0', 'PAGE1', 'PAGE2', 'PAGE3', 'PAGE4'])
    abm.removeDevice('PAGE1')
    const sync = await c.syncDevices(cursor ?? '')
    expect(sync.devices).toEqual([
      expect.objectContaining({ serial_number: 'PAGE1', op_type: 'deleted' }),
    ])
  })

  it('reports T_C_NOT_SIGNED and 5xx as DepApiError', async () => {
    abm.fail('/account', 403, 'T_C_NOT_SIGNED')
    const terms = await client()
      .account()
      .catch((e: unknown) => e)
    expect(terms).toBeInstanceOf(DepApiError)
    expect((terms as DepApiError).termsNotSigned).toBe(true)
    abm.fail('/server/devices', 503, 'Service Unavailable')
    await expect(client().fetchDevices(undefined)).rejects.toMatchObject({ status: 503 })
  })
})
