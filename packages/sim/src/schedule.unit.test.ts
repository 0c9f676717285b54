import { describe, expect, it } from 'vitest'
import { createScheduleCache, dueQueries, runsOn, scheduledQueries } from './schedule.js'

const CONFIG = {
  options: { pack_delimiter: '/', distributed_interval: 10 },
  decorators: { load: ['SELECT uuid AS host_uuid FROM system_info;'] },
  schedule: {
    uptime: { query: 'SELECT * FROM uptime', interval: 60 },
    broken: { interval: 60 },
    never: { query: 'SELECT 1', interval: 0 },
  },
  packs: {
    Global: {
      queries: {
        usb: { query: 'SELECT * FROM usb_devices', interval: '300', snapshot: true },
        wmi: { query: 'SELECT * FROM wmi_cli_event_consumers', interval: 60, platform: 'windows' },
      },
    },
    'team-1': {
      platform: 'darwin',
      queries: { apps: { query: 'SELECT * FROM apps', interval: 60 } },
    },
    'from-file': '/etc/osquery/packs/x.conf',
  },
}

describe('scheduledQueries', () => {
  it('reads schedule and packs, naming pack queries pack/<pack>/<query>', () => {
    expect(scheduledQueries(CONFIG, 'linux')).toEqual([
      { name: 'uptime', query: 'SELECT * FROM uptime', intervalS: 60 },
      { name: 'pack/Global/usb', query: 'SELECT * FROM usb_devices', intervalS: 300 },
    ])
    expect(scheduledQueries(CONFIG, 'darwin').map((q) => q.name)).toEqual([
      'uptime',
      'pack/Global/usb',
      'pack/team-1/apps',
    ])
    expect(scheduledQueries(CONFIG, 'windows').map((q) => q.name)).toContain('pack/Global/wmi')
  })

  it('returns nothing for a config without queries or one that is not an object', () => {
    expect(scheduledQueries({ options: {} }, 'linux')).toEqual([])
    expect(scheduledQueries('nope', 'linux')).toEqual([])
  })

  it('shares the parsed schedule between hosts with the same config text', () => {
    const cached = createScheduleCache()
    const text = JSON.stringify(CONFIG)
    expect(cached(text, CONFIG, 'linux')).toBe(cached(text, JSON.parse(text), 'linux'))
    expect(cached(text, CONFIG, 'darwin')).not.toBe(cached(text, CONFIG, 'linux'))
  })
})

describe('runsOn', () => {
  it('follows osquery’s platform filter', () => {
    expect(runsOn(undefined, 'windows')).toBe(true)
    expect(runsOn('', 'windows')).toBe(true)
    expect(runsOn('all', 'linux')).toBe(true)
    expect(runsOn('posix', 'darwin')).toBe(true)
    expect(runsOn('posix', 'windows')).toBe(false)
    expect(runsOn('darwin,linux', 'linux')).toBe(true)
    expect(runsOn('windows', 'linux')).toBe(false)
  })
})

describe('dueQueries', () => {
  const q60 = { name: 'a', query: 'SELECT 1', intervalS: 60 }
  const q300 = { name: 'b', query: 'SELECT 2', intervalS: 300 }

  it('runs a query when uptime crosses a multiple of its interval', () => {
    const boot = 1_000_000
    expect(dueQueries([q60, q300], boot, boot + 50_000, boot + 59_999)).toEqual([])
    expect(dueQueries([q60, q300], boot, boot + 50_000, boot + 60_000)).toEqual([q60])
    expect(dueQueries([q60, q300], boot, boot + 299_000, boot + 301_000)).toEqual([q60, q300])
  })
})
