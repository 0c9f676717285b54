import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { backoffDelay } from '../transport/backoff.js'
import type { OrbitLog } from './orbit-log.js'

export interface SupervisedCommand {
  /** What the child is, in log lines ("osqueryd"). */
  name: string
  command: string
  args: () => string[]
  env: NodeJS.ProcessEnv
}

export interface Supervisor {
  start(): void
  /** Stops the child (SIGTERM, then SIGKILL after the grace period) and starts it again. */
  restart(reason: string): Promise<void>
  /** Stops the child for good. */
  stop(): Promise<void>
  /** How many times the child has been started. */
  starts(): number
  pid(): number | undefined
}

/** Schedules and cancels the delayed restarts (tests inject one to see what is pending). */
export interface RestartTimers {
  set(run: () => void, ms: number): unknown
  clear(handle: unknown): void
}

const REAL_TIMERS: RestartTimers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

/** A run this long counts as healthy: the next crash restarts after the shortest delay again. */
const HEALTHY_RUN_MS = 60_000

/**
 * Keeps a child process running: its output goes to the log line by line, and when it exits
 * unasked it is started again after a back-off (1 s doubling to 60 s, reset by a healthy run).
 */
export function createSupervisor(
  child: SupervisedCommand,
  log: OrbitLog,
  options: {
    graceMs?: number
    baseDelayMs?: number
    maxDelayMs?: number
    timers?: RestartTimers
  } = {},
): Supervisor {
  const graceMs = options.graceMs ?? 10_000
  const timers = options.timers ?? REAL_TIMERS
  let current: ChildProcess | undefined
  let stopped = true
  let failures = 0
  let starts = 0
  let restartTimer: unknown

  function launch(): void {
    const startedAt = Date.now()
    starts++
    const proc = spawn(child.command, child.args(), {
      env: child.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    current = proc
    log.info(`${child.name} started`, { pid: proc.pid })
    for (const stream of [proc.stdout, proc.stderr]) {
      if (stream) {
        createInterface({ input: stream }).on('line', (line) => log.info(`${child.name}: ${line}`))
      }
    }
    proc.once('error', (err) => log.error(`${child.name} could not start`, { err: err.message }))
    proc.once('exit', (code, signal) => {
      if (current === proc) {
        current = undefined
      }
      if (stopped) {
        return
      }
      failures = Date.now() - startedAt >= HEALTHY_RUN_MS ? 0 : failures + 1
      const delay = backoffDelay(Math.max(0, failures - 1), {
        baseMs: options.baseDelayMs ?? 1000,
        maxMs: options.maxDelayMs ?? 60_000,
        jitter: 0.2,
      })
      log.warn(`${child.name} exited; restarting`, {
        code: code ?? undefined,
        signal: signal ?? undefined,
        inMs: delay,
      })
      restartTimer = timers.set(() => {
        restartTimer = undefined
        if (!stopped) {
          launch()
        }
      }, delay)
    })
  }

  async function terminate(): Promise<void> {
    if (restartTimer !== undefined) {
      timers.clear(restartTimer)
      restartTimer = undefined
    }
    const proc = current
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) {
      return
    }
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => proc.kill('SIGKILL'), graceMs)
      proc.once('exit', () => {
        clearTimeout(kill)
        resolve()
      })
      proc.kill('SIGTERM')
    })
  }

  return {
    start() {
      if (!stopped) {
        return
      }
      stopped = false
      launch()
    },
    async restart(reason) {
      log.info(`restarting ${child.name}`, { reason })
      stopped = true
      await terminate()
      stopped = false
      failures = 0
      launch()
    },
    async stop() {
      stopped = true
      await terminate()
    },
    starts: () => starts,
    pid: () => current?.pid,
  }
}
