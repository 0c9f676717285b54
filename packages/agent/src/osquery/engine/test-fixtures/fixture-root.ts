import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createEngine, type EngineOptions } from '../create-engine.js'
import type { Engine, EngineContext, Row } from '../engine.js'

/** A fixture file: text, bytes, a symlink (`{ link: target }`) or an empty directory (`{ dir }`). */
export type FixtureEntry = string | Buffer | { link: string } | { dir: true }

/** A machine's files for tests: machine path → content. */
export type FixtureFiles = Record<string, FixtureEntry>

/** Writes fixture files under a new temporary directory; returns that root. */
export function makeRoot(files: FixtureFiles): string {
  const root = mkdtempSync(join(tmpdir(), 'fleetd-engine-'))
  for (const [path, entry] of Object.entries(files)) {
    const target = join(root, path)
    mkdirSync(dirname(target), { recursive: true })
    if (typeof entry === 'string' || Buffer.isBuffer(entry)) {
      writeFileSync(target, entry)
    } else if ('link' in entry) {
      symlinkSync(entry.link, target)
    } else {
      mkdirSync(target, { recursive: true })
    }
  }
  return root
}

/** An engine context with a fixed identity, for tests. */
export const TEST_CONTEXT: EngineContext = {
  startTime: 1_700_000_000,
  instanceId: '0f3c8a8e-5b7a-4c53-9d1e-2f6b1c0e9a11',
  version: '5.14.1',
  flags: new Map([
    ['distributed_interval', '10'],
    ['config_tls_refresh', '60'],
    ['logger_tls_period', '10'],
  ]),
  schedule: () => [],
  configValid: () => true,
}

/** An engine over fixture files, and a way to drop both. */
export interface FixtureEngine {
  engine: Engine
  root: string
  /** Runs a query that must succeed and returns its rows. */
  rows(sql: string): Row[]
  dispose(): void
}

/** Builds an engine whose /proc, /sys, /etc… are the given fixture files. */
export function fixtureEngine(files: FixtureFiles, options: EngineOptions = {}): FixtureEngine {
  const root = makeRoot(files)
  const engine = createEngine(TEST_CONTEXT, {
    probe: {
      networkInterfaces: () => ({}),
      arch: () => 'x86_64',
      hostname: () => 'fallback-host',
      logicalCpus: () => 4,
      now: () => Date.UTC(2024, 0, 1, 12, 30, 45),
    },
    ...options,
    root,
  })
  const rows = (sql: string): Row[] => {
    const outcome = engine.query(sql)
    if (outcome.status !== 0) {
      throw new Error(`query failed: ${outcome.error}`)
    }
    return outcome.rows
  }
  const dispose = (): void => {
    engine.close()
    rmSync(root, { recursive: true, force: true })
  }
  return { engine, root, rows, dispose }
}
