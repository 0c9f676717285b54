import {
  allEnrolled,
  Api,
  FleetServer,
  freePort,
  INTERVAL_S,
  setUp,
  sleep,
  startSims,
  tempDir,
  verify,
  type Outcome,
  type ScenarioOptions,
} from './harness.js'

/** Hosts start over this many seconds. */
const ENROLL_PERIOD_S = 10

/**
 * `fleet serve` (SQLite) killed with `signal` while every host checks in and logs (or, with
 * `duringEnrollment`, while about half of them are still enrolling), then started again on the
 * same data directory and port after `downS` seconds.
 */
export async function serverKill(
  options: ScenarioOptions,
  signal: 'SIGKILL' | 'SIGTERM',
  { downS = 5, duringEnrollment = false }: { downS?: number; duringEnrollment?: boolean } = {},
): Promise<Outcome> {
  const server = new FleetServer(await freePort(), tempDir('kill'), {})
  await server.start()
  const api = new Api(server.url)
  const sims = await (async () => {
    await setUp(api)
    return startSims(options, [server.url], ENROLL_PERIOD_S)
  })()
  try {
    if (duringEnrollment) {
      await sleep((ENROLL_PERIOD_S / 2) * 1000)
    } else {
      if (!(await allEnrolled(sims, 120))) {
        throw new Error('hosts did not all enroll before the fault')
      }
      await sleep(2 * INTERVAL_S * 1000)
    }
    await server.kill(signal)
    // Lines made before this second may have been written and then sent again (README.md).
    const check = signal === 'SIGKILL' ? { killedAt: Math.floor(Date.now() / 1000) } : {}
    await sleep(downS * 1000)
    await server.start()
    if (!(await allEnrolled(sims, 120))) {
      throw new Error('hosts did not all enroll after the fault')
    }
    // Two intervals for every agent to come back (log posts re-sent, reads resumed).
    await sleep(3 * INTERVAL_S * 1000)
    return await verify(api, sims, options.hosts, [server], check)
  } finally {
    await Promise.all(sims.map((sim) => sim.stop()))
    await server.dispose()
    await api.close()
  }
}
