import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { TEST_SERVER_PRIVATE_KEY } from '../../test-utils/mdm-kit.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'

const SPEC = `${FLEET_API}/spec/secret_variables`

describe.each(DIALECTS)('PUT /spec/secret_variables [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  const put = (body: unknown, token = admin) => t.request('PUT', SPEC, { token, body })
  const stored = () =>
    t.database.db.selectFrom('secret_variables').selectAll().orderBy('name').execute()

  beforeAll(async () => {
    t = await startTestServer(dialect, { flags: { 'server.private_key': TEST_SERVER_PRIVATE_KEY } })
    admin = await t.setupAdmin()
  })
  afterAll(() => t.close())

  it('stores values sealed, without the prefix; dry_run stores nothing; same value keeps updated_at', async () => {
    const dry = await put({ secrets: [{ name: 'FLEET_SECRET_PIN', value: '1234' }], dry_run: true })
    expect(dry.statusCode).toBe(200)
    expect(await stored()).toEqual([])

    expect((await put({ secrets: [{ name: 'FLEET_SECRET_PIN', value: '1234' }] })).statusCode).toBe(
      200,
    )
    const [row] = await stored()
    expect(row?.name).toBe('PIN')
    expect(row?.value).not.toContain('1234')
    t.clock.advance(1000)
    await put({ secrets: [{ name: 'FLEET_SECRET_PIN', value: '1234' }] })
    expect(Number((await stored())[0]?.updated_at)).toBe(Number(row?.updated_at))
    await put({ secrets: [{ name: 'FLEET_SECRET_PIN', value: '5678' }] })
    expect(Number((await stored())[0]?.updated_at)).toBe(Number(row?.updated_at) + 1000)
  })

  it('refuses bad names and empty values with 400, and nothing is stored', async () => {
    for (const secret of [
      { name: 'PIN', value: 'x' },
      { name: 'FLEET_SECRET_A-B', value: 'x' },
      { name: 'FLEET_SECRET_EMPTY', value: '' },
    ]) {
      const res = await put({ secrets: [{ name: 'FLEET_SECRET_OK', value: 'y' }, secret] })
      expect(res.statusCode).toBe(400)
    }
    expect((await put({ secrets: 'nope' })).statusCode).toBe(400)
    expect((await stored()).map((r) => r.name)).toEqual(['PIN'])
  })

  it('lets global admins and gitops write; maintainers and observers get 403, nobody logged in 401', async () => {
    const body = { secrets: [{ name: 'FLEET_SECRET_ROLE', value: 'v' }] }
    const gitops = await t.createUser(admin, {
      email: 'g@example.com',
      globalRole: 'gitops',
      apiOnly: true,
    })
    expect((await put(body, gitops.token)).statusCode).toBe(200)
    for (const role of ['maintainer', 'observer'] as const) {
      const user = await t.createUser(admin, { email: `${role}@example.com`, globalRole: role })
      expect((await put(body, user.token)).statusCode).toBe(403)
    }
    expect((await t.request('PUT', SPEC, { body })).statusCode).toBe(401)
  })
})
