import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { updateContext } from '../config-file.js'
import { run } from '../run.js'
import { captureIo } from './capture-io.js'

export interface RunResult {
  code: number
  out: string
  err: string
  questions: string[]
}

/** A temp dir with a fleetctl config in it, and a way to run fleetctl against it. */
export interface Harness {
  dir: string
  configPath: string
  fleetctl(
    args: string[],
    opts?: { answers?: string[]; env?: Record<string, string> },
  ): Promise<RunResult>
  /** Points the default context at `address`, with `token` if given. */
  login(address: string, token?: string): Promise<void>
  cleanup(): Promise<void>
}

export async function createHarness(): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetctl-test-'))
  const configPath = join(dir, 'config')
  return {
    dir,
    configPath,
    async fleetctl(args, opts = {}) {
      const cap = captureIo({
        answers: opts.answers ?? [],
        env: opts.env ?? {},
        homeDir: dir,
        cwd: dir,
      })
      const code = await run(['--config', configPath, ...args], cap.io)
      return { code, out: cap.out(), err: cap.err(), questions: cap.questions }
    },
    async login(address, token) {
      await updateContext(configPath, 'default', { address, ...(token ? { token } : {}) })
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
}
