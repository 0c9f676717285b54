/**
 * Fault scenarios (issue 9): databases, Redis and servers failing under simulated hosts. Each
 * prints PASS/FAIL with hosts enrolled vs expected, duplicate uuids, result lines delivered vs
 * logged (lost, duplicated) and live-query reach after recovery. Takes minutes; not part of
 * `npm test`. Private Redis/MariaDB instances are started for the scenarios that stop them.
 *
 *   npm run test:faults [-- --hosts 1000 --fleetd 4 --only kill9,sigterm]
 */
import { parseArgs } from 'node:util'
import { sleep, type Outcome, type ScenarioOptions } from './harness.js'
import { downFor, onMariadbAndRedis } from './dependency-down.js'
import { fleetdOutage } from './fleetd-outage.js'
import { logPathFault } from './log-path.js'
import { serverKill } from './server-kill.js'

const SCENARIOS: Record<string, (options: ScenarioOptions) => Promise<Outcome>> = {
  kill9: (options) => serverKill(options, 'SIGKILL'),
  sigterm: (options) => serverKill(options, 'SIGTERM'),
  'kill9-enrolling': (options) => serverKill(options, 'SIGKILL', { duringEnrollment: true }),
  'server-outage-60s': (options) => serverKill(options, 'SIGTERM', { downS: 60 }),
  'fleetd-outage-60s': fleetdOutage,
  'log-path-read-only': (options) => logPathFault(options, 'read-only'),
  'log-path-disk-full': (options) => logPathFault(options, 'disk-full'),
  'mariadb-down': (options) =>
    onMariadbAndRedis(options, 1, ({ mariadb }) => downFor(mariadb, options.downS)),
  'redis-down': (options) =>
    onMariadbAndRedis(options, 1, ({ redis }) => downFor(redis, options.downS)),
  'two-instances-kill9': (options) =>
    onMariadbAndRedis(options, 2, async ({ servers }) => {
      const [victim] = servers
      await victim?.kill('SIGKILL')
      const killedAt = Math.floor(Date.now() / 1000)
      await sleep(5000)
      await victim?.start()
      return { killedAt }
    }),
}

const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '300' },
    'hosts-per-sim': { type: 'string', default: '1000' },
    'down-s': { type: 'string', default: '30' },
    fleetd: { type: 'string', default: '4' },
    only: { type: 'string', default: Object.keys(SCENARIOS).join(',') },
  },
})
const options: ScenarioOptions = {
  hosts: Number(values.hosts),
  hostsPerSim: Number(values['hosts-per-sim']),
  downS: Number(values['down-s']),
  fleetd: Number(values.fleetd),
}

let failed = 0
for (const name of values.only.split(',')) {
  const scenario = SCENARIOS[name]
  if (!scenario) {
    throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`)
  }
  const started = Date.now()
  try {
    const outcome = await scenario(options)
    failed += outcome.pass ? 0 : 1
    const numbers = Object.entries(outcome.numbers)
      .map(([key, value]) => `${key}=${value}`)
      .join(' ')
    const seconds = ((Date.now() - started) / 1000).toFixed(0)
    process.stdout.write(`${outcome.pass ? 'PASS' : 'FAIL'} ${name} (${seconds} s): ${numbers}\n`)
  } catch (error) {
    failed++
    process.stdout.write(
      `FAIL ${name}: ${error instanceof Error ? error.message : String(error)}\n`,
    )
  }
}
process.exitCode = failed === 0 ? 0 : 1
