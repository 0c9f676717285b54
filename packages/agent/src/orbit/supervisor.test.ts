import { waitFor } from '@fleet/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { createOrbitLog } from './orbit-log.js'
import { createSupervisor, type RestartTimers, type Supervisor } from './supervisor.js'

const quietLog = () => {
  const lines: string[] = []
  return { lines, log: createOrbitLog({ stderr: (line) => lines.push(line) }) }
}

/** Supervisors a test made, stopped after it even when it fails or times out. */
const supervisors: Supervisor[] = []
const started = (...args: Parameters<typeof createSupervisor>): Supervisor => {
  const supervisor = createSupervisor(...args)
  supervisors.push(supervisor)
  return supervisor
}
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop()))
})

describe('createSupervisor', () => {
  it('restarts a child that dies, with back-off, and logs its output', async () => {
    const { lines, log } = quietLog()
    const pending = new Set<NodeJS.Timeout>()
    const timers: RestartTimers = {
      set(run, ms) {
        const handle = setTimeout(() => {
          pending.delete(handle)
          run()
        }, ms)
        pending.add(handle)
        return handle
      },
      clear(handle) {
        clearTimeout(handle as NodeJS.Timeout)
        pending.delete(handle as NodeJS.Timeout)
      },
    }
    const supervisor = started(
      {
        name: 'crasher',
        command: process.execPath,
        args: () => ['-e', 'console.log("hello from child"); process.exit(3)'],
        env: process.env,
      },
      log,
      { baseDelayMs: 50, maxDelayMs: 200, timers },
    )
    supervisor.start()
    await waitFor(
      'three starts, then a restart pending',
      () => supervisor.starts() >= 3 && pending.size > 0,
    )
    await supervisor.stop()
    expect(lines.some((l) => l.includes('crasher: hello from child'))).toBe(true)
    expect(lines.some((l) => /crasher exited; restarting code=3/.test(l))).toBe(true)
    // Stopped: no restart is left pending (one would start the child again).
    expect(pending).toEqual(new Set())
  })

  it('stops a child that ignores SIGTERM after the grace period', async () => {
    const { lines, log } = quietLog()
    const supervisor = started(
      {
        name: 'stubborn',
        command: process.execPath,
        args: () => [
          '-e',
          'process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000)',
        ],
        env: process.env,
      },
      log,
      { graceMs: 200 },
    )
    supervisor.start()
    // Only once it says so does the child ignore SIGTERM.
    await waitFor('the child to ignore SIGTERM', () =>
      lines.some((l) => l.includes('stubborn: ready')),
    )
    const pid = supervisor.pid() ?? 0
    await supervisor.stop()
    expect(() => process.kill(pid, 0)).toThrow()
    expect(supervisor.starts()).toBe(1)
  })
})
