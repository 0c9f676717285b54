import { describe, expect, it } from 'vitest'
import {
  packName,
  parseScheduledQueryName,
  reportInvalidated,
  runsOnPlatform,
  sentToHosts,
  toPackQuery,
} from './query.js'

const isLinux = (platform: string) => ['ubuntu', 'rhel', 'debian'].includes(platform)

describe('parseScheduledQueryName', () => {
  it.each([
    ['pack/Global/Disk usage', { teamId: null, queryName: 'Disk usage' }],
    ['pack/team-12/USB devices', { teamId: 12, queryName: 'USB devices' }],
    ['pack/Global/a/b', { teamId: null, queryName: 'a/b' }],
    ['pack:Global:uptime', { teamId: null, queryName: 'uptime' }],
    ['pack::team-3::x', { teamId: 3, queryName: 'x' }],
    ['pack_Global_Global users', { teamId: null, queryName: 'Global users' }],
  ])('reads %s', (name, expected) => {
    expect(parseScheduledQueryName(name)).toEqual(expected)
  })

  it.each([
    'pack/Global/',
    'pack/team-x/q',
    'pack/My pack/q',
    'fleet_distributed_query_4',
    'pack',
    'Global/q',
  ])('refuses %s', (name) => {
    expect(parseScheduledQueryName(name)).toBeUndefined()
  })
})

describe('packs', () => {
  it("are named like Fleet's", () => {
    expect(packName(null)).toBe('Global')
    expect(packName(7)).toBe('team-7')
  })

  it('carry snapshot/removed per logging type', () => {
    const base = { query: 'SELECT 1', interval: 60, platform: 'linux', minOsqueryVersion: '5.4.0' }
    expect(toPackQuery({ ...base, logging: 'snapshot' })).toEqual({
      query: 'SELECT 1',
      interval: 60,
      platform: 'linux',
      version: '5.4.0',
      snapshot: true,
    })
    expect(toPackQuery({ ...base, logging: 'differential' })).toMatchObject({ removed: true })
    expect(toPackQuery({ ...base, logging: 'differential_ignore_removals' })).toMatchObject({
      removed: false,
    })
    expect(toPackQuery({ ...base, logging: 'differential' })).not.toHaveProperty('snapshot')
  })
})

describe('runsOnPlatform', () => {
  it('matches listed platforms, linux covering the distributions', () => {
    expect(runsOnPlatform('', 'windows', isLinux)).toBe(true)
    expect(runsOnPlatform('darwin,windows', 'windows', isLinux)).toBe(true)
    expect(runsOnPlatform('darwin', 'windows', isLinux)).toBe(false)
    expect(runsOnPlatform('linux', 'ubuntu', isLinux)).toBe(true)
    expect(runsOnPlatform('linux', 'darwin', isLinux)).toBe(false)
    expect(runsOnPlatform('chrome', '', isLinux)).toBe(true)
  })
})

describe('which queries reach hosts and keep reports', () => {
  const q = {
    interval: 60,
    automationsEnabled: false,
    logging: 'snapshot' as const,
    discardData: false,
  }
  it("follows Fleet's rule: scheduled, and results go to automations or the report", () => {
    expect(sentToHosts(q, false)).toBe(true)
    expect(sentToHosts({ ...q, interval: 0 }, false)).toBe(false)
    expect(sentToHosts(q, true)).toBe(false)
    expect(sentToHosts({ ...q, discardData: true }, false)).toBe(false)
    expect(sentToHosts({ ...q, logging: 'differential' }, false)).toBe(false)
    expect(sentToHosts({ ...q, logging: 'differential', automationsEnabled: true }, true)).toBe(
      true,
    )
  })

  it('drops the report on new SQL, discarded data or leaving snapshot logging', () => {
    const before = { query: 'SELECT 1', discardData: false, logging: 'snapshot' as const }
    expect(reportInvalidated(before, before)).toBe(false)
    expect(reportInvalidated(before, { ...before, query: 'SELECT 2' })).toBe(true)
    expect(reportInvalidated(before, { ...before, discardData: true })).toBe(true)
    expect(reportInvalidated(before, { ...before, logging: 'differential' })).toBe(true)
    expect(
      reportInvalidated({ ...before, logging: 'differential' }, { ...before, logging: 'snapshot' }),
    ).toBe(false)
  })
})
