import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { buildHost, buildTeam } from '../../test-utils/factories.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'

describe.each(DIALECTS)('list paging [%s]', (dialect) => {
  let t: TestServer
  let admin: string

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
  })
  afterAll(() => t.close())

  it("is Fleet's: everything without page or per_page, 20 a page with page alone", async () => {
    const team = await buildTeam(t.deps.db)
    for (let i = 0; i < 120; i++) {
      await buildHost(t.deps.db, { teamId: team.id })
    }
    const count = async (paging: string) => {
      const res = await t.request('GET', `${FLEET_API}/hosts?team_id=${team.id}${paging}`, {
        token: admin,
      })
      expect(res.statusCode).toBe(200)
      return (res.data().hosts as unknown[]).length
    }
    // Real `fleetctl get hosts` sends neither and shows every host.
    expect(await count('')).toBe(120)
    expect(await count('&page=0')).toBe(20)
    expect(await count('&page=5')).toBe(20)
    expect(await count('&page=6')).toBe(0)
    expect(await count('&per_page=50&page=2')).toBe(20)
    expect(await count('&per_page=7')).toBe(7)
  })
})
