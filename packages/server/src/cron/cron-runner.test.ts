import { waitFor } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CronJob } from '../platform/cron-job.js'
import { silentLogger } from '../platform/logger.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from '../test-utils/databases.js'
import { TestClock } from '../test-utils/test-server.js'
import { lastRuns, tryMarkRunning } from './cron-locks.store.js'
import { createCronRunner } from './cron-runner.js'

const HOUR = 3_600_000

describe.each(DIALECTS)('cron runner [%s]', (dialect) => {
  let t: TestDatabase
  const clock = new TestClock()
  const log = silentLogger()
  beforeAll(async () => {
    t = await createTestDatabase(dialect)
  })
  afterAll(() => t.drop())

  function countingJob(name: string, runs: string[], instance: string): CronJob {
    return {
      name,
      intervalMs: HOUR,
      run: () => {
        runs.push(instance)
        return Promise.resolve({ instance })
      },
    }
  }

  it('runs a job on one of several instances per interval, then again after the interval', async () => {
    const runs: string[] = []
    const deps = { db: t.db, clock, log }
    const a = createCronRunner(deps, [countingJob('shared', runs, 'a')], { owner: 'a' })
    const b = createCronRunner(deps, [countingJob('shared', runs, 'b')], { owner: 'b' })
    const [ranA, ranB] = await Promise.all([a.runDue(), b.runDue()])
    expect([...ranA, ...ranB]).toEqual(['shared'])
    expect(runs).toHaveLength(1)

    clock.advance(HOUR / 2)
    expect([...(await a.runDue()), ...(await b.runDue())]).toEqual([])
    expect((await lastRuns(t.db)).get('shared')).toBeTypeOf('number')

    clock.advance(HOUR / 2)
    expect(await b.runDue()).toEqual(['shared'])
    expect(await a.runDue()).toEqual([])
    expect(runs).toHaveLength(2)
    expect(runs[1]).toBe('b')
  })

  it('keeps running the other jobs when one throws, and retries it next interval', async () => {
    const runs: string[] = []
    let failures = 0
    const failing: CronJob = {
      name: 'failing',
      intervalMs: HOUR,
      run: () => {
        failures += 1
        return Promise.reject(new Error('boom'))
      },
    }
    const runner = createCronRunner({ db: t.db, clock, log }, [
      failing,
      countingJob('healthy', runs, 'x'),
    ])
    expect(await runner.runDue()).toEqual(['failing', 'healthy'])
    expect(failures).toBe(1)
    expect(runs).toEqual(['x'])
    expect((await lastRuns(t.db)).get('failing')).toBeNull()
    clock.advance(HOUR)
    await runner.runDue()
    expect(failures).toBe(2)
  })

  it('asks a job for its interval at each check when it comes from settings', async () => {
    let intervalMs = HOUR
    const runs: string[] = []
    const job: CronJob = {
      name: 'from-settings',
      intervalMs: () => Promise.resolve(intervalMs),
      run: () => {
        runs.push('ran')
        return Promise.resolve()
      },
    }
    const runner = createCronRunner({ db: t.db, clock, log }, [job])
    expect(await runner.runDue()).toEqual(['from-settings'])
    intervalMs = 2 * HOUR
    clock.advance(HOUR)
    expect(await runner.runDue()).toEqual(['from-settings'])
    clock.advance(HOUR)
    expect(await runner.runDue()).toEqual([])
    clock.advance(HOUR)
    expect(await runner.runDue()).toEqual(['from-settings'])
    expect(runs).toHaveLength(3)
  })

  it('stop() waits for a run in progress', async () => {
    let started = false
    let finished = false
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    const slow: CronJob = {
      name: 'slow',
      intervalMs: HOUR,
      run: async () => {
        started = true
        await gate
        finished = true
      },
    }
    const runner = createCronRunner({ db: t.db, clock, log }, [slow], { tickMs: 60_000 })
    runner.start()
    await waitFor('the run to start', () => started)
    const stopping = runner.stop()
    expect(finished).toBe(false)
    release()
    await stopping
    expect(finished).toBe(true)
  })

  it('triggers a job now, but not twice at once, and names the jobs it has', async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    let runs = 0
    const gated: CronJob = {
      name: 'gated',
      intervalMs: HOUR,
      run: async () => {
        runs++
        await gate
      },
    }
    const runner = createCronRunner({ db: t.db, clock, log }, [gated, countingJob('b', [], 'x')])
    const first = await runner.trigger('gated')
    expect(first.kind).toBe('started')
    expect((await runner.trigger('gated')).kind).toBe('running')
    expect(await runner.trigger('zzz')).toEqual({ kind: 'unknown', names: ['b', 'gated'] })
    release()
    await runner.stop()
    expect(runs).toBe(1)
    expect((await runner.trigger('gated')).kind).toBe('started')
    await runner.stop()
    expect(runs).toBe(2)
  })

  it("sees another instance's run in progress: no second trigger, no scheduled run beside it", async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    const runs: string[] = []
    const job = (instance: string): CronJob => ({
      name: 'shared',
      intervalMs: HOUR,
      run: async () => {
        runs.push(instance)
        await gate
      },
    })
    const a = createCronRunner({ db: t.db, clock, log }, [job('a')], { owner: 'a' })
    const b = createCronRunner({ db: t.db, clock, log }, [job('b')], { owner: 'b' })
    expect((await a.trigger('shared')).kind).toBe('started')
    clock.advance(5_000)
    expect(await b.trigger('shared')).toEqual({ kind: 'running', sinceMs: 5_000 })
    // B wins the schedule's lock (first scheduled run), but A's run does this interval's work.
    expect(await b.runDue()).toEqual([])
    release()
    await a.stop()
    expect(runs).toEqual(['a'])
    expect((await b.trigger('shared')).kind).toBe('started')
    await b.stop()
    expect(runs).toEqual(['a', 'b'])
  })

  it("lets a crashed instance's run mark lapse after its lease", async () => {
    const now = clock.now().getTime()
    // An instance that marked a run and died: it never renews or clears the mark.
    expect(
      await tryMarkRunning(t.db, { name: 'orphaned', owner: 'dead', now, until: now + 60_000 }),
    ).toEqual({ kind: 'marked' })
    const runs: string[] = []
    const runner = createCronRunner({ db: t.db, clock, log }, [countingJob('orphaned', runs, 'x')])
    expect((await runner.trigger('orphaned')).kind).toBe('running')
    clock.advance(60_000)
    expect((await runner.trigger('orphaned')).kind).toBe('started')
    await runner.stop()
    expect(runs).toEqual(['x'])
  })
})
