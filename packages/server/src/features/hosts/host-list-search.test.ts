import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test-utils/databases.js'
import { buildHost } from '../../test-utils/factories.js'
import type { HostVitals } from './host.js'
import { countHosts, listHosts } from './host-list.store.js'
import { deleteHosts, updateHostVitals } from './hosts.store.js'

/**
 * The host search (`query=`) matches a substring of hostname, computer name, serial, UUID or
 * primary IP, case-insensitively, with `%`, `_` and `\` taken literally — with or without the
 * trigram index under it (migration 20261207153000_host_search_index), whatever the term's length.
 */
describe.each(DIALECTS)('host search [%s]', (dialect) => {
  let database: TestDatabase
  const now = Date.now()
  const hosts = new Map<string, number>()

  const seed: Record<string, HostVitals> = {
    mac: {
      hostname: 'Marias-MacBook-Pro.local',
      computerName: 'Maria MacBook',
      hardwareSerial: 'C02XK1ABJGH5',
    },
    web: { hostname: 'web-01.example.com', computerName: 'web-01', primaryIp: '10.20.30.40' },
    db: {
      hostname: 'db-01.example.com',
      computerName: 'DB 01',
      uuid: 'A1B2C3D4-0000-4000-8000-00000000DB01',
    },
    percent: { hostname: 'rack_50%_full', computerName: 'rack 50 percent' },
    underscore: { hostname: 'build_agent', computerName: 'build-agent' },
    slash: { hostname: 'win\\share', computerName: 'WIN-SHARE', primaryIp: '192.168.1.5' },
    quote: { hostname: 'say-"hi"-box', computerName: 'quote box' },
  }

  /** Names of the hosts the list and the count find for `query` (they must agree). */
  async function search(query: string): Promise<string[]> {
    const listed = await listHosts(
      database.db,
      { now, query },
      { orderKey: 'hostname', direction: 'asc', offset: 0 },
    )
    const names = listed.map((h) => [...hosts].find(([, id]) => id === h.id)?.[0] ?? h.hostname)
    expect(await countHosts(database.db, { now, query })).toBe(names.length)
    return names.sort()
  }

  beforeAll(async () => {
    database = await createTestDatabase(dialect)
    for (const [name, vitals] of Object.entries(seed)) {
      const host = await buildHost(database.db, { vitals: { uuid: `uuid-${name}`, ...vitals } })
      hosts.set(name, host.id)
    }
  })
  afterAll(() => database.drop())

  it('matches a substring of any searched column, in any case', async () => {
    expect(await search('macbook')).toEqual(['mac'])
    expect(await search('EXAMPLE.COM')).toEqual(['db', 'web'])
    expect(await search('k1abj')).toEqual(['mac'])
    expect(await search('0000-4000')).toEqual(['db'])
    expect(await search('10.20.30')).toEqual(['web'])
    expect(await search('uuid-qu')).toEqual(['quote'])
    expect(await search('no-such-host')).toEqual([])
  })

  it('matches terms shorter than a trigram by scanning', async () => {
    expect(await search('DB')).toEqual(['db'])
    expect(await search('5')).toEqual(['mac', 'percent', 'slash'])
    expect(await search('zq')).toEqual([])
  })

  it('takes %, _, \\ and " literally', async () => {
    expect(await search('50%')).toEqual(['percent'])
    expect(await search('%')).toEqual(['percent'])
    expect(await search('d_a')).toEqual(['underscore'])
    expect(await search('_')).toEqual(['percent', 'underscore'])
    expect(await search('n\\s')).toEqual(['slash'])
    expect(await search('"hi"')).toEqual(['quote'])
    expect(await search('rack_5')).toEqual(['percent'])
    expect(await search('rack 5')).toEqual(['percent'])
  })

  it('does not match across two columns', async () => {
    // hostname ends "…local", computer name starts "Maria…": no host holds "localMaria".
    expect(await search('localmaria')).toEqual([])
  })

  it('follows renames and deletes (the index is kept in step with the hosts)', async () => {
    const renamed = await buildHost(database.db, { vitals: { hostname: 'old-name-zebra' } })
    hosts.set('renamed', renamed.id)
    expect(await search('zebra')).toEqual(['renamed'])
    await updateHostVitals(database.db, renamed.id, { hostname: 'new-name-okapi' }, { now })
    expect(await search('zebra')).toEqual([])
    expect(await search('okapi')).toEqual(['renamed'])
    // An update that leaves the searched columns alone keeps the host findable.
    await updateHostVitals(database.db, renamed.id, { memory: 1024 }, { now })
    expect(await search('okapi')).toEqual(['renamed'])
    await deleteHosts(database.db, [renamed.id])
    hosts.delete('renamed')
    expect(await search('okapi')).toEqual([])
  })

  it.runIf(dialect === 'sqlite')(
    'folds ASCII case only on SQLite, as its lower() and LIKE do (the index folds more)',
    async () => {
      const host = await buildHost(database.db, { vitals: { hostname: 'ÉCOLE-laptop' } })
      hosts.set('ecole', host.id)
      expect(await search('école')).toEqual([])
      expect(await search('ÉCOLE-LAP')).toEqual(['ecole'])
      await deleteHosts(database.db, [host.id])
      hosts.delete('ecole')
    },
  )
})
