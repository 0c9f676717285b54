import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { ADMIN, asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'

describe.each(DIALECTS)('setup [%s]', (dialect) => {
  // Setup happens once per server, so each test gets a server that has not been set up.
  let t: TestServer
  beforeEach(async () => {
    t = await startTestServer(dialect)
  })
  afterEach(() => t.close())

  it('refuses a weak password with 422 naming the field', async () => {
    const res = await t.request('POST', '/api/v1/setup', {
      body: {
        admin: { email: 'a@example.com', name: 'A', password: 'short' },
        org_info: { org_name: 'Acme' },
      },
    })
    expect(res.statusCode).toBe(422)
    expect(res.json()).toMatchObject({
      message: 'Validation Failed',
      errors: [{ name: 'admin.password' }],
    })
  })

  it('refuses a missing org name with 400 naming the field', async () => {
    const res = await t.request('POST', '/api/setup', {
      body: {
        admin: { email: 'a@example.com', name: 'A', password: ADMIN.password },
        org_info: {},
      },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({
      code: 'INVALID_ARGUMENT',
      errors: [{ name: 'org_info.org_name' }],
    })
  })

  it('creates the first admin, returns a working token, and sets org info', async () => {
    const token = await t.setupAdmin()
    const me = await t.request('GET', '/api/latest/fleet/me', { token })
    expect(me.statusCode).toBe(200)
    expect(asRecord(me.data().user)).toMatchObject({
      email: ADMIN.email,
      global_role: 'admin',
      teams: [],
    })
    const config = await t.request('GET', '/api/v1/fleet/config', { token })
    expect(config.data()).toMatchObject({
      org_info: { org_name: 'Acme' },
      server_settings: { server_url: 'https://fleet.example.com' },
    })
    const activities = await t.request('GET', '/api/latest/fleet/activities', { token })
    expect(activities.data().activities).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'created_user' })]),
    )
  })

  it('refuses a second setup with 409', async () => {
    await t.setupAdmin()
    const res = await t.request('POST', '/api/v1/setup', {
      body: {
        admin: { email: 'b@example.com', name: 'B', password: ADMIN.password },
        org_info: { org_name: 'Evil' },
      },
    })
    expect(res.statusCode).toBe(409)
    expect(res.data().code).toBe('SETUP_ALREADY_DONE')
  })
})
