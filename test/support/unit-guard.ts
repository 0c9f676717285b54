import childProcess from 'node:child_process'
import { syncBuiltinESMExports } from 'node:module'
import net from 'node:net'

/** Set in the `unit` project's test processes (vitest.config.ts), read by `refuseInUnitTests`. */
const FLAG = 'FLEET_UNIT_TEST'

const CHILD_PROCESS_FUNCTIONS = [
  'spawn',
  'spawnSync',
  'fork',
  'exec',
  'execSync',
  'execFile',
  'execFileSync',
] as const

/**
 * Throws when called from a unit test. Test helpers that open a database or start a server call
 * it, so a test that needs them is named `*.test.ts` (integration), not `*.unit.test.ts`.
 */
export function refuseInUnitTests(what: string): void {
  if (process.env[FLAG] === '1') {
    throw new UnitTestViolation(what)
  }
}

/** What a unit test did that only an integration test may do. */
export class UnitTestViolation extends Error {
  constructor(what: string) {
    super(
      `a unit test may not ${what}: rename the file from *.unit.test.ts to *.test.ts ` +
        '(the integration project), or pass a fake instead',
    )
    this.name = 'UnitTestViolation'
  }
}

function refuse(what: string): () => never {
  return () => {
    throw new UnitTestViolation(what)
  }
}

/**
 * Makes this test process refuse what unit tests must not do: listen on or connect to a socket
 * (servers, databases, Redis), start a process, or open a test database. The `unit` project runs
 * it first in every test file's process (vitest forks one process per file).
 */
export function installUnitGuard(): void {
  process.env[FLAG] = '1'
  net.Server.prototype.listen = refuse('listen on a socket')
  net.Socket.prototype.connect = refuse('open a network connection')
  for (const name of CHILD_PROCESS_FUNCTIONS) {
    Object.defineProperty(childProcess, name, { value: refuse(`start a process (${name})`) })
  }
  // `import { spawn } from 'node:child_process'` binds to the ESM view; bring it up to date.
  syncBuiltinESMExports()
}
