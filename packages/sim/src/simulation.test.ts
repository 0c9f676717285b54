import { OSQUERY_PATHS } from '@fleet/api'
import { waitFor } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSimulation } from './simulation.js'
import type { StatsSnapshot } from './stats.js'
import { FakeFleet, SECRET } from './test-utils/fake-fleet.js'

const HOSTS = 20

describe('simulation against a fake Fleet server', () => {
  // The 30th read overall is told its node key is invalid; the 4th log batch is refused.
  const fleet = new FakeFleet({ invalidateRead: 30, failLog: 4 })
  let final: StatsSnapshot
  let interval: StatsSnapshot

  beforeAll(async () => {
    const serverUrl = await fleet.listen()
    const sim = createSimulation({
      serverUrl,
      enrollSecret: SECRET,
      hostCount: HOSTS,
      osTemplates: [
        { name: 'ubuntu_22.04', weight: 1 },
        { name: 'mac10.14.6', weight: 1 },
      ],
      queryIntervalMs: 300,
      configIntervalMs: 1000,
      loggerIntervalMs: 400,
      startPeriodMs: 500,
      connections: 8,
      seed: 7,
    })
    await sim.start()
    // Until everything the tests below read has happened: the re-enrollment after the invalid
    // key, every host's answers, status and result logs, and the refused batch sent again.
    const refusedDelivered = (): boolean => {
      const refused = fleet.failedLog
      if (!refused) {
        return false
      }
      const sent = new Set(
        fleet.logs
          .filter((l) => l.log_type === refused.log_type)
          .flatMap((l) => l.data.map((line) => JSON.stringify(line))),
      )
      return refused.data.every((line) => sent.has(JSON.stringify(line)))
    }
    // the key the server handed out when the host whose key it invalidated enrolled again
    const reenrolledKeyUsed = (): boolean => {
      const lost = fleet.invalidatedKey
      const who = fleet.enrolls.find((_, i) => `nk-${i + 1}` === lost)?.host_identifier
      const again = fleet.enrolls.findIndex(
        (e, i) => e.host_identifier === who && `nk-${i + 1}` !== lost,
      )
      return again >= 0 && fleet.usedKeys.has(`nk-${again + 1}`)
    }
    const logLines = (type: string) =>
      fleet.logs.filter((l) => l.log_type === type).flatMap((l) => l.data).length
    await waitFor(
      'the simulated hosts to do everything once',
      () =>
        fleet.enrolls.length === HOSTS + 1 &&
        sim.enrolledHosts() === HOSTS &&
        reenrolledKeyUsed() &&
        new Set(fleet.writes.map((w) => w.parsed.node_key)).size >= HOSTS &&
        logLines('status') > HOSTS &&
        logLines('result') > 0 &&
        refusedDelivered(),
      { timeoutMs: 30_000 },
    )
    interval = sim.intervalStats()
    final = await sim.stop()
  })

  afterAll(() => fleet.close())

  it('enrolls every host once with its own identity, plus one re-enroll', () => {
    expect(fleet.enrolls).toHaveLength(HOSTS + 1)
    expect(fleet.enrolls.every((e) => e.enroll_secret === SECRET)).toBe(true)
    const identifiers = fleet.enrolls.map((e) => e.host_identifier)
    expect(new Set(identifiers).size).toBe(HOSTS)
    const uuids = fleet.enrolls.map((e) => e.host_details?.['system_info']?.['uuid'])
    expect(new Set(uuids).size).toBe(HOSTS)
    // One platform per host: under load the re-enroll can land before the last first enroll.
    const byHost = new Map(fleet.enrolls.map((e) => [e.host_identifier, e] as const))
    const platforms = [...byHost.values()].map((e) => e.host_details?.['os_version']?.['platform'])
    expect(platforms.filter((p) => p === 'ubuntu')).toHaveLength(HOSTS / 2)
    expect(platforms.filter((p) => p === 'darwin')).toHaveLength(HOSTS / 2)
  })

  it('re-enrolls after node_invalid and carries on with the new node key', () => {
    const lost = fleet.invalidatedKey
    expect(lost).toBeDefined()
    const who = fleet.enrolls.find((_, i) => `nk-${i + 1}` === lost)?.host_identifier
    const again = fleet.enrolls.findIndex(
      (e, i) => e.host_identifier === who && `nk-${i + 1}` !== lost,
    )
    expect(again).toBeGreaterThanOrEqual(0)
    expect(fleet.usedKeys.has(`nk-${again + 1}`)).toBe(true)
    expect(final.reenrolls).toBe(1)
    expect(final.endpoints.distributed_read.nodeInvalid).toBe(1)
    expect(final.enrolled).toBe(HOSTS)
  })

  it('answers the queries once per node key with the fixture rows', () => {
    expect(fleet.writes.length).toBe(fleet.queried.size)
    expect(fleet.writes.length).toBeGreaterThanOrEqual(HOSTS)
    for (const { raw, parsed } of fleet.writes) {
      const platform = fleet.keys.get(parsed.node_key)?.host_details?.['os_version']?.['platform']
      expect(parsed.statuses).toEqual({ fleet_detail_query_os_version: 0, fleet_label_query_7: 0 })
      expect(raw).toMatchObject({ messages: {} })
      const osVersion = parsed.queries['fleet_detail_query_os_version']
      const label = parsed.queries['fleet_label_query_7']
      if (platform === 'darwin') {
        expect(osVersion).toEqual([
          expect.objectContaining({ name: 'Mac OS X', version: '10.14.6' }),
        ])
        expect(label).toEqual([{ '1': '1' }])
      } else {
        expect(platform).toBe('ubuntu')
        expect(osVersion).toEqual([
          {
            name: 'Ubuntu 22.4.0',
            version: 'Ubuntu 22.4.0',
            major: '',
            minor: '',
            patch: '',
            build: '',
            platform: 'ubuntu',
            platform_like: 'ubuntu',
            codename: '',
          },
        ])
        expect(label).toEqual([])
      }
    }
  })

  it('sends status logs and snapshot result logs for the scheduled query', () => {
    const status = fleet.logs.filter((l) => l.log_type === 'status').flatMap((l) => l.data)
    const results = fleet.logs.filter((l) => l.log_type === 'result').flatMap((l) => l.data)
    expect(status.length).toBeGreaterThan(HOSTS)
    expect(status[0]).toMatchObject({
      hostIdentifier: expect.any(String),
      severity: '0',
      decorations: { host_uuid: expect.any(String), hostname: expect.stringMatching(/^sim-/) },
    })
    expect(results.length).toBeGreaterThan(0)
    // Every result line the server accepted is counted once as delivered.
    expect(final.resultLinesDelivered).toBe(results.length)
    expect(results[0]).toMatchObject({
      name: 'uptime',
      action: 'snapshot',
      snapshot: expect.any(Array),
    })
  })

  it('keeps a batch the server refused and delivers it later', () => {
    const refused = fleet.failedLog?.data ?? []
    expect(refused.length).toBeGreaterThan(0)
    const delivered = fleet.logs
      .filter((l) => l.log_type === fleet.failedLog?.log_type)
      .flatMap((l) => l.data.map((line) => JSON.stringify(line)))
    for (const line of refused) {
      expect(delivered).toContain(JSON.stringify(line))
    }
  })

  it('counts every request and error the server saw', () => {
    const e = final.endpoints
    expect(e.enroll.requests).toBe(fleet.requests[OSQUERY_PATHS.enroll])
    expect(e.config.requests).toBe(fleet.requests[OSQUERY_PATHS.config])
    expect(e.distributed_read.requests).toBe(fleet.requests[OSQUERY_PATHS.distributedRead])
    expect(e.distributed_write.requests).toBe(fleet.requests[OSQUERY_PATHS.distributedWrite])
    expect(e.log.requests).toBe(fleet.requests[OSQUERY_PATHS.log])
    expect(e.log.httpErrors).toBe(1)
    expect(final.all.networkErrors).toBe(0)
    expect(final.all.badResponses).toBe(0)
    expect(final.queriesAnswered).toBe(2 * fleet.writes.length)
    expect(final.all.p50Ms).toBeGreaterThan(0)
    expect(final.all.p99Ms).toBeGreaterThanOrEqual(final.all.p50Ms)
    expect(interval.kind).toBe('interval')
    expect(interval.all.requests).toBeGreaterThan(0)
    expect(interval.all.requests).toBeLessThanOrEqual(final.all.requests)
    expect(final.internalErrors).toBe(0)
  })
})

describe('simulation with a wrong enroll secret', () => {
  it('counts the refused enrollments and backs off instead of hammering', async () => {
    const fleet = new FakeFleet()
    const serverUrl = await fleet.listen()
    // the simulation's clock, moved by hand: loops and back-off both follow it
    let clock = 1_000_000
    const sim = createSimulation(
      {
        serverUrl,
        enrollSecret: 'wrong',
        hostCount: 5,
        queryIntervalMs: 100,
        loggerIntervalMs: 100,
        startPeriodMs: 0,
        seed: 1,
      },
      { now: () => clock },
    )
    try {
      await sim.start()
      await waitFor('one enroll per host', () => fleet.requests[OSQUERY_PATHS.enroll] === 5)
      // Just short of the shortest back-off (2 s × 0.5 after one failure): the 100 ms loops run
      // and find their host waiting, and nobody asks again.
      clock += 999
      await waitFor('the loops to run once', () => sim.stats().enrollWaits >= 10)
      expect(fleet.requests[OSQUERY_PATHS.enroll]).toBe(5)
      // Past the longest (2 s × 1.5): each host tries once more.
      clock += 2_002
      await waitFor('one retry per host', () => fleet.requests[OSQUERY_PATHS.enroll] === 10)
    } finally {
      const stats = await sim.stop()
      await fleet.close()
      expect(stats.enrolled).toBe(0)
      expect(stats.endpoints.enroll.nodeInvalid).toBe(stats.endpoints.enroll.requests)
      expect(stats.endpoints.distributed_read.requests).toBe(0)
    }
  })
})
