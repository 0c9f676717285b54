import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { sleep } from '../../transport/backoff.js'

/** Another daemon holds the pidfile and --force was not given. */
export class PidfileError extends Error {
  override name = 'PidfileError'
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return err instanceof Error && 'code' in err && err.code === 'EPERM'
  }
}

/** Whether `pid` looks like an osquery daemon (Linux /proc); elsewhere any live pid counts. */
function looksLikeDaemon(pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    return /osqueryd|fleetd/.test(cmdline)
  } catch {
    return true
  }
}

/**
 * Takes the pidfile as osqueryd does: a live daemon named in it stops us, unless `force`, which
 * asks it to exit (SIGTERM, then SIGKILL after 5 s). A stale pidfile is replaced.
 * Returns a function that removes the pidfile if it still names this process.
 */
export async function acquirePidfile(path: string, force: boolean): Promise<() => void> {
  let existing = NaN
  try {
    existing = Number.parseInt(readFileSync(path, 'utf8').trim(), 10)
  } catch {
    // No pidfile yet.
  }
  if (
    Number.isInteger(existing) &&
    existing > 0 &&
    existing !== process.pid &&
    isAlive(existing) &&
    looksLikeDaemon(existing)
  ) {
    if (!force) {
      throw new PidfileError(`Pidfile::Error: Daemon already running (pid ${existing} in ${path})`)
    }
    process.kill(existing, 'SIGTERM')
    for (let waited = 0; waited < 5000 && isAlive(existing); waited += 100) {
      await sleep(100)
    }
    if (isAlive(existing)) {
      process.kill(existing, 'SIGKILL')
    }
  }
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, String(process.pid), { mode: 0o644 })
  return () => {
    try {
      if (readFileSync(path, 'utf8').trim() === String(process.pid)) {
        rmSync(path, { force: true })
      }
    } catch {
      // Already gone.
    }
  }
}
