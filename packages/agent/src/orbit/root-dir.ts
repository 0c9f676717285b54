import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** Where orbit keeps its state, with Fleet's file names (`--root-dir`, /opt/orbit in Fleet). */
export interface RootDir {
  root: string
  nodeKey: string
  deviceToken: string
  /** The Fleet URL orbit runs against, for `fleetd desktop` (Fleet passes it to Desktop in env). */
  fleetUrl: string
  osqueryFlags: string
  osqueryDb: string
  osqueryPid: string
  osqueryLogs: string
  extensionsSocket: string
  orbitLog: string
}

/** Fleet's /opt/orbit when running as root, else ~/.fleetd (a developer's machine). */
export function defaultRootDir(): string {
  return process.getuid?.() === 0 ? '/opt/orbit' : join(homedir(), '.fleetd')
}

export function rootDir(root: string): RootDir {
  return {
    root,
    nodeKey: join(root, 'secret-orbit-node-key.txt'),
    deviceToken: join(root, 'identifier'),
    fleetUrl: join(root, 'fleet-url.txt'),
    osqueryFlags: join(root, 'osquery.flags'),
    osqueryDb: join(root, 'osquery.db'),
    osqueryPid: join(root, 'osquery.pid'),
    osqueryLogs: join(root, 'osquery_log'),
    extensionsSocket: join(root, 'orbit-osquery.em'),
    orbitLog: join(root, 'orbit.log'),
  }
}

/** Creates the root directory, readable by its owner only (it holds the node key). */
export function ensureRootDir(dir: RootDir): void {
  mkdirSync(dir.root, { recursive: true, mode: 0o700 })
  mkdirSync(dir.osqueryDb, { recursive: true, mode: 0o700 })
  mkdirSync(dir.osqueryLogs, { recursive: true, mode: 0o700 })
}

/** A secret file's trimmed contents, or undefined when missing or empty. */
export function readSecretFile(path: string): string | undefined {
  if (!existsSync(path)) {
    return undefined
  }
  const text = readFileSync(path, 'utf8').trim()
  return text === '' ? undefined : text
}

/** Writes a secret file readable and writable by the owner only (0600). */
export function writeSecretFile(path: string, value: string): void {
  writeFileSync(path, value, { mode: 0o600 })
  chmodSync(path, 0o600)
}

export function removeFile(path: string): void {
  rmSync(path, { force: true })
}
