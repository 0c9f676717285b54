import { describe, expect, it } from 'vitest'
import { applyConfig } from './apply-config.js'
import { parseConfig } from './config.js'
import { Decorations } from './decorators.js'
import { parseFlags } from './flags.js'
import { hostShard, planSchedule, platformMatches, versionAtLeast } from './schedule-plan.js'
import { Scheduler } from './scheduler.js'
import { DaemonLog } from './status-log.js'
import { fakeEngine } from './test-fixtures/fake-engine.js'

const fleetConfig = {
  options: {
    pack_delimiter: '/',
    logger_tls_period: 10,
    distributed_plugin: 'tls',
    disable_distributed: false,
    logger_tls_endpoint: '/api/osquery/log',
    distributed_interval: 10,
    distributed_tls_max_attempts: 3,
    tls_hostname: 'evil.example.com',
  },
  decorators: {
    load: ['SELECT uuid AS host_uuid FROM system_info;', 'SELECT hostname FROM system_info;'],
    always: ['SELECT total_seconds AS uptime FROM uptime'],
    interval: { '3600': ['SELECT version FROM osquery_info'], '90': ['SELECT 1'] },
  },
  schedule: {
    uptime: { query: 'SELECT * FROM uptime', interval: 60, snapshot: true },
    no_interval: { query: 'SELECT * FROM time' },
    never: { query: 'SELECT 1', interval: 0 },
    broken: { interval: 10 },
  },
  packs: {
    Global: {
      queries: {
        procs: { query: 'SELECT * FROM processes', interval: '300', removed: false },
        win_only: { query: 'SELECT * FROM programs', interval: 60, platform: 'windows' },
        future: { query: 'SELECT 2', interval: 60, version: '99.0.0' },
      },
    },
    'team-1': {
      discovery: ['SELECT 1 FROM os_version WHERE platform = "ubuntu"'],
      queries: { users: { query: 'SELECT * FROM users', interval: 600 } },
    },
    'darwin-pack': { platform: 'darwin', queries: { apps: { query: 'SELECT 3', interval: 60 } } },
    'from-file': '/etc/osquery/packs/x.conf',
  },
}

const ctx = {
  platform: 'linux',
  version: '5.14.1',
  hostShard: 50,
  packDelimiter: '/',
  defaultInterval: 3600,
  discovery: () => true,
}

describe('parseConfig + planSchedule', () => {
  it('names pack queries pack<d><pack><d><query> and filters by platform, version and discovery', () => {
    const parsed = parseConfig(fleetConfig)
    expect(parsed.warnings).toEqual([
      'Scheduled query broken has no query',
      'Pack from-file is not an inline object; skipped',
      'Invalid decorator interval rotation: 90',
    ])
    const { queries, skipped } = planSchedule(parsed, ctx)
    expect(queries).toEqual([
      {
        name: 'uptime',
        query: 'SELECT * FROM uptime',
        interval: 60,
        snapshot: true,
        removed: true,
      },
      {
        name: 'no_interval',
        query: 'SELECT * FROM time',
        interval: 3600,
        snapshot: false,
        removed: true,
      },
      {
        name: 'pack/Global/procs',
        query: 'SELECT * FROM processes',
        interval: 300,
        snapshot: false,
        removed: false,
      },
      {
        name: 'pack/team-1/users',
        query: 'SELECT * FROM users',
        interval: 600,
        snapshot: false,
        removed: true,
      },
    ])
    expect(skipped).toEqual([
      'never',
      'pack/Global/win_only',
      'pack/Global/future',
      'pack/darwin-pack/apps',
    ])
  })

  it('drops a pack whose discovery query returns nothing, and uses the delimiter given', () => {
    const { queries } = planSchedule(parseConfig(fleetConfig), {
      ...ctx,
      packDelimiter: '_',
      discovery: () => false,
    })
    expect(queries.map((q) => q.name)).toEqual(['uptime', 'no_interval', 'pack_Global_procs'])
  })

  it('treats a non-object config as empty', () => {
    expect(parseConfig('nope')).toMatchObject({ schedule: [], packs: [], options: {} })
  })
})

describe('targeting helpers', () => {
  it('matches osquery platform strings', () => {
    expect(platformMatches(undefined, 'linux')).toBe(true)
    expect(platformMatches('all', 'windows')).toBe(true)
    expect(platformMatches('posix', 'darwin')).toBe(true)
    expect(platformMatches('posix', 'windows')).toBe(false)
    expect(platformMatches('darwin,linux', 'linux')).toBe(true)
    expect(platformMatches('windows', 'linux')).toBe(false)
  })

  it('compares minimum versions', () => {
    expect(versionAtLeast('5.14.1', '5.2')).toBe(true)
    expect(versionAtLeast('5.14.1', '5.14.1')).toBe(true)
    expect(versionAtLeast('5.14.1', '5.15.0')).toBe(false)
    expect(versionAtLeast('5.14.1', undefined)).toBe(true)
  })

  it('gives each host a stable shard', () => {
    expect(hostShard('host-a')).toBe(hostShard('host-a'))
    expect(hostShard('host-a')).toBeGreaterThanOrEqual(0)
    expect(hostShard('host-a')).toBeLessThan(100)
  })
})

describe('applyConfig', () => {
  it('applies runtime options, then decorators and schedule using them', async () => {
    const { flags } = parseFlags(['--tls_hostname=fleet.example.com'], () => '')
    const engine = fakeEngine({
      system_info: [{ uuid: 'U-1', hostname: 'web-1' }],
      uptime: [{ total_seconds: '42' }],
      osquery_info: [{ version: '5.14.1' }],
    })
    const log = new DaemonLog({
      write: () => undefined,
      verbose: () => false,
      stderr: () => ({ enabled: false, minSeverity: 0 }),
      minStatus: () => 0,
    })
    const errors: string[] = []
    const decorations = new Decorations(engine, (sql, error) => errors.push(`${sql}: ${error}`))
    const ran: string[] = []
    const scheduler = new Scheduler({ splayPercent: () => 0, run: (q) => void ran.push(q.name) })
    applyConfig(parseConfig(fleetConfig), {
      flags,
      log,
      engine,
      decorations,
      scheduler,
      hostIdentifier: 'web-1',
      platform: 'linux',
    })
    expect(flags.int('distributed_interval')).toBe(10)
    expect(flags.int('logger_tls_period')).toBe(10)
    expect(flags.bool('disable_distributed')).toBe(false)
    expect(flags.get('tls_hostname')).toBe('fleet.example.com')
    expect(scheduler.entries().map((e) => e.name)).toContain('pack/Global/procs')

    // load + interval decorators ran on apply; `always` runs before each scheduled query.
    expect(decorations.current()).toEqual({
      host_uuid: 'U-1',
      hostname: 'web-1',
      version: '5.14.1',
    })
    decorations.runAlways()
    expect(decorations.current()).toMatchObject({ uptime: '42' })

    // Interval decorators rerun when their period comes round.
    engine.setTable('osquery_info', [{ version: '5.15.0' }])
    decorations.runIntervals(7200, 7199)
    expect(decorations.current().version).toBe('5.15.0')
    engine.setTable('osquery_info', [{ version: '9' }])
    decorations.runIntervals(7201, 7200)
    expect(decorations.current().version).toBe('5.15.0')

    // With splay 0, a 60 s query runs on the minute.
    expect(await scheduler.tick(120)).toEqual(['uptime'])
    expect(errors).toEqual([])
  })

  it('reports failing decorators and leaves their columns out', () => {
    const engine = fakeEngine({ system_info: [{ uuid: 'U' }] })
    const errors: string[] = []
    const decorations = new Decorations(engine, (sql) => errors.push(sql))
    decorations.configure({
      load: ['SELECT uuid FROM system_info', 'SELECT x FROM nope'],
      always: [],
      interval: [],
    })
    expect(decorations.current()).toEqual({ uuid: 'U' })
    expect(errors).toEqual(['SELECT x FROM nope'])
  })
})
