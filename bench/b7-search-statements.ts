/**
 * B7's host search, statement by statement: the store's search list (first 50 by hostname) and
 * count for a few terms over `--hosts` generated hosts, with nothing else running — what the
 * search costs the database itself, apart from the load the full B7 run adds.
 *
 *   npm run bench:b7-search -- --backend sqlite|mysql|postgres [--hosts 100000 --runs 15]
 *                              [--terms host-4242,42,BENCH99,10.1.2,xyz]
 *
 * Hosts as B7 generates them (lib/b7-hosts.ts), on no team; statistics gathered after the insert,
 * as B7 does. Printed per term: p50 and max of `--runs`.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import type { Kysely } from 'kysely'
import type { Database } from '../packages/server/src/db/database.js'
import { migrateToLatest } from '../packages/server/src/db/migrate.js'
import { countHosts, listHosts } from '../packages/server/src/features/hosts/host-list.store.js'
import { createKysely } from '../packages/server/src/platform/db/index.js'
import { b7HostRow, gatherStatistics } from './lib/b7-hosts.js'
import { createBenchDatabase } from './lib/bench-databases.js'

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'sqlite' },
    hosts: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '15' },
    terms: { type: 'string', default: 'host-4242,42,BENCH99,10.1.2,xyz' },
  },
})
const BACKEND = (() => {
  const found = (['sqlite', 'mysql', 'postgres'] as const).find((b) => b === values.backend)
  if (!found) {
    throw new Error('--backend is sqlite, mysql or postgres')
  }
  return found
})()
const HOSTS = Number(values.hosts)
const RUNS = Number(values.runs)
const TERMS = values.terms.split(',')
const BATCH = 1000

async function generateHosts(db: Kysely<Database>, now: number): Promise<void> {
  for (let start = 0; start < HOSTS; start += BATCH) {
    const rows = []
    for (let n = start; n < Math.min(HOSTS, start + BATCH); n++) {
      rows.push(b7HostRow(n, now, null))
    }
    await db.insertInto('hosts').values(rows).execute()
  }
  await gatherStatistics(db, BACKEND)
}

/** p50 and max of `RUNS` runs of `run`, in ms, and what the last run returned. */
async function time(run: () => Promise<number>): Promise<{ p50: number; max: number; n: number }> {
  const times: number[] = []
  let n = 0
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now()
    n = await run()
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return { p50: times[Math.floor(RUNS / 2)] ?? 0, max: times[RUNS - 1] ?? 0, n }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-b7s-'))
  const database = await createBenchDatabase(BACKEND, `fleet_b7s_${process.pid}`, dir)
  const db = createKysely<Database>(database.target)
  try {
    await migrateToLatest(db)
    const now = Date.now()
    const started = performance.now()
    await generateHosts(db, now)
    const seconds = ((performance.now() - started) / 1000).toFixed(0)
    process.stdout.write(`${BACKEND}: ${HOSTS} hosts inserted in ${seconds} s\n`)
    const page = { orderKey: 'hostname', direction: 'asc', offset: 0, limit: 50 } as const
    for (const query of TERMS) {
      const list = await time(async () => (await listHosts(db, { now, query }, page)).length)
      const count = await time(() => countHosts(db, { now, query }))
      const ms = (x: number) => `${x.toFixed(1)} ms`.padStart(9)
      process.stdout.write(
        `${BACKEND} ${JSON.stringify(query).padEnd(12)} list p50 ${ms(list.p50)} max ${ms(list.max)} | count (${count.n}) p50 ${ms(count.p50)} max ${ms(count.max)}\n`,
      )
    }
  } finally {
    await db.destroy()
    await database.drop()
  }
}

await main()
