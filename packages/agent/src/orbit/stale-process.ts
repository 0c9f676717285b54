import { readFileSync } from 'node:fs'
import { readSecretFile } from './root-dir.js'

/**
 * Kills an osqueryd left running by an orbit that died (its pid file is still there and the
 * process it names is an osqueryd), as Fleet's orbit does at start-up. Returns the pid killed.
 */
export function killStaleOsqueryd(pidFile: string): number | undefined {
  const pid = Number(readSecretFile(pidFile))
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) {
    return undefined
  }
  let cmdline: string
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
  } catch {
    return undefined
  }
  if (!cmdline.includes('osqueryd')) {
    return undefined
  }
  try {
    process.kill(pid, 'SIGKILL')
    return pid
  } catch {
    return undefined
  }
}
