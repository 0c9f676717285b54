import { runCommand } from '../../bench/lib/processes.js'
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
  type DeliveryCheck,
  type Outcome,
  type ScenarioOptions,
} from './harness.js'
import { PrivateMariadb, PrivateRedis } from './private-services.js'

/**
 * `instances` `fleet serve` processes on a private MariaDB and Redis, the hosts spread over them.
 * `fault` breaks something once every host is enrolled and logging; it resolves when it has
 * been repaired (with the kill's time if it killed a server: see {@link DeliveryCheck}). Then every host must be there once, every delivered result logged once, and a
 * live query must reach every host.
 */
export async function onMariadbAndRedis(
  options: ScenarioOptions,
  instances: number,
  fault: (env: {
    mariadb: PrivateMariadb
    redis: PrivateRedis
    servers: FleetServer[]
  }) => Promise<DeliveryCheck | void>,
): Promise<Outcome> {
  const mariadb = await PrivateMariadb.create()
  const redis = await PrivateRedis.create()
  const servers: FleetServer[] = []
  let sims: ReturnType<typeof startSims> = []
  let api: Api | undefined
  try {
    await mariadb.start()
    await redis.start()
    await mariadb.createDatabase('fleet')
    const env = {
      FLEET_MYSQL_ADDRESS: mariadb.address,
      FLEET_MYSQL_USERNAME: 'root',
      FLEET_MYSQL_DATABASE: 'fleet',
      FLEET_REDIS_ADDRESS: redis.address,
    }
    await runCommand(process.execPath, ['packages/server/bin/fleet.js', 'prepare', 'db'], env)
    for (let i = 0; i < instances; i++) {
      const server = new FleetServer(await freePort(), tempDir('mysql'), env)
      await server.start()
      servers.push(server)
    }
    api = new Api(servers[0]?.url ?? '')
    await setUp(api)
    sims = startSims(
      options,
      servers.map((s) => s.url),
      Math.ceil(options.hosts / 100),
    )
    if (!(await allEnrolled(sims, 120))) {
      throw new Error('hosts did not all enroll before the fault')
    }
    await sleep(2 * INTERVAL_S * 1000)
    const check = (await fault({ mariadb, redis, servers })) ?? {}
    // Three intervals for every agent to come back (log posts re-sent, reads resumed).
    await sleep(3 * INTERVAL_S * 1000)
    return await verify(api, sims, options.hosts, servers, check)
  } finally {
    await Promise.all(sims.map((sim) => sim.stop()))
    await Promise.all(servers.map((server) => server.dispose()))
    await api?.close()
    await redis.kill()
    await mariadb.dispose()
  }
}

/** Stops a private service for `downS` seconds, then starts it again. */
export async function downFor(
  service: PrivateMariadb | PrivateRedis,
  downS: number,
): Promise<void> {
  await service.kill('SIGTERM')
  await sleep(downS * 1000)
  await service.start()
}
