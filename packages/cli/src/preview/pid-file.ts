import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CliError } from '../errors.js'

/** Where a running `fleetctl preview` records its process id, in its data directory. */
export function pidFilePath(dir: string): string {
  return join(dir, 'preview.pid')
}

/** Records this process as the preview running on `dir`. */
export async function writePidFile(dir: string, pid: number): Promise<void> {
  await writeFile(pidFilePath(dir), `${pid}\n`, { mode: 0o600 })
}

/** Removes the pid file if it still names `pid` (a newer preview may have replaced it). */
export async function removePidFile(dir: string, pid: number): Promise<void> {
  if ((await recordedPid(dir)) === pid) {
    await rm(pidFilePath(dir), { force: true })
  }
}

/** The pid of the preview running on `dir`, if its pid file names a live process. */
export async function runningPreviewPid(dir: string): Promise<number | undefined> {
  const pid = await recordedPid(dir)
  return pid !== undefined && isAlive(pid) ? pid : undefined
}

/**
 * Stops the preview running on `dir` (SIGTERM: it stops its server, fleetd and simulated hosts
 * itself) and waits for it to exit.
 * @returns false when no preview was running
 * @throws CliError when it is still running after `timeoutMs`
 */
export async function stopPreview(dir: string, timeoutMs = 60_000): Promise<boolean> {
  const pid = await runningPreviewPid(dir)
  if (pid === undefined) {
    await rm(pidFilePath(dir), { force: true })
    return false
  }
  process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + timeoutMs
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      throw new CliError(`the preview (pid ${pid}) did not stop within ${timeoutMs / 1000} s`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await rm(pidFilePath(dir), { force: true })
  return true
}

async function recordedPid(dir: string): Promise<number | undefined> {
  const text = await readFile(pidFilePath(dir), 'utf8').catch(() => '')
  const pid = Number(text.trim())
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
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
