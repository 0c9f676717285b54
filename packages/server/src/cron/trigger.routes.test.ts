import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { capturingLogger } from '../test-utils/capturing-logger.js'
import { DIALECTS } from '../test-utils/databases.js'
import { startTestServer, type TestServer } from '../test-utils/test-server.js'
import { supportedTriggerNames } from './trigger.routes.js'

describe.each(DIALECTS)('POST /trigger [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  const { log, lines } = capturingLogger()
  const doneRuns = (name: string) =>
    lines.filter((l) => l.cron === name && l.msg === 'cron job done').length

  beforeAll(async () => {
    t = await startTestServer(dialect, { log })
    admin = await t.setupAdmin()
  })
  afterAll(() => t.close())

  it('runs a schedule now even though its interval has not lapsed', async () => {
    await t.server.cron.runDue()
    const before = doneRuns('carves_expired_blocks')
    expect(before).toBe(1)
    await t.server.cron.runDue()
    expect(doneRuns('carves_expired_blocks')).toBe(before)

    const res = await t.request('POST', `${FLEET_API}/trigger?name=carves_expired_blocks`, {
      token: admin,
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({})
    await t.server.cron.stop()
    expect(doneRuns('carves_expired_blocks')).toBe(before + 1)
  })

  it('answers 404 listing the valid names for an unknown or missing name', async () => {
    for (const url of [`${FLEET_API}/trigger?name=nope`, `${FLEET_API}/trigger`]) {
      const res = await t.request('POST', url, { token: admin })
      expect(res.statusCode).toBe(404)
      const reason = JSON.stringify(res.json())
      expect(reason).toContain('invalid name; supported trigger names are ')
      expect(reason).toContain('carves_expired_blocks')
      expect(reason).toContain('policy_host_counts')
    }
  })

  it('refuses anyone but a global admin', async () => {
    const maintainer = await t.createUser(admin, {
      email: 'tm@example.com',
      globalRole: 'maintainer',
    })
    const res = await t.request('POST', `${FLEET_API}/trigger?name=policy_host_counts`, {
      token: maintainer.token,
    })
    expect(res.statusCode).toBe(403)
    const anonymous = await t.request('POST', `${FLEET_API}/trigger?name=policy_host_counts`)
    expect(anonymous.statusCode).toBe(401)
  })
})

describe('supportedTriggerNames', () => {
  it("words the list as Fleet's fleetctl shows it", () => {
    expect(supportedTriggerNames([])).toBe('no supported triggers')
    expect(supportedTriggerNames(['a'])).toBe('supported trigger name is a')
    expect(supportedTriggerNames(['a', 'b', 'c'])).toBe('supported trigger names are a, b, and c')
  })
})
