import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { CliError } from '../errors.js'

/** Finds a command on PATH (`npm start` puts node_modules/.bin there), or fails with a hint. */
export function findOnPath(name: string, path: string | undefined): string {
  for (const dir of (path ?? '').split(delimiter)) {
    const candidate = join(dir, name)
    if (dir !== '' && existsSync(candidate)) {
      return candidate
    }
  }
  throw new CliError(`\`${name}\` is not on PATH`, {
    hints: ['run the preview from the repository with `npm start`, which puts it there'],
  })
}

export interface Background {
  name: string
  child: ChildProcess
  /** Resolves with the first match of `pattern` in the output, or rejects if the process exits. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>
  stop(): Promise<void>
}

/**
 * Starts a long-running command with its output appended to `logFile` (kept out of the
 * terminal so the preview's own lines stay readable), without FLEET_* settings from the caller's
 * environment leaking in.
 */
export function startBackground(
  name: string,
  command: string,
  args: readonly string[],
  options: { logFile: string; env: NodeJS.ProcessEnv },
): Background {
  const env = Object.fromEntries(
    Object.entries(options.env).filter(([key]) => !key.startsWith('FLEET_')),
  )
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const log = createWriteStream(options.logFile, { flags: 'a' })
  let output = ''
  const exited = new Promise<never>((_resolve, reject) => {
    child.once('exit', (code, signal) =>
      reject(
        new CliError(`${name} exited (code ${code ?? '-'}, signal ${signal ?? '-'})`, {
          hints: [`its output is in ${options.logFile}`],
        }),
      ),
    )
  })
  exited.catch(() => undefined)
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-64 * 1024)
      log.write(chunk)
    })
  }
  return {
    name,
    child,
    waitFor(pattern, timeoutMs) {
      return Promise.race([
        exited,
        new Promise<RegExpExecArray>((resolve, reject) => {
          const started = Date.now()
          const check = setInterval(() => {
            const match = pattern.exec(output)
            if (match) {
              clearInterval(check)
              resolve(match)
            } else if (Date.now() - started > timeoutMs) {
              clearInterval(check)
              reject(new CliError(`${name} did not start within ${timeoutMs / 1000} s`))
            }
          }, 50)
        }),
      ])
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const finish = () => {
          log.end()
          resolve()
        }
        if (child.exitCode !== null || child.signalCode !== null) {
          finish()
          return
        }
        const kill = setTimeout(() => child.kill('SIGKILL'), 15_000)
        child.once('exit', () => {
          clearTimeout(kill)
          finish()
        })
        child.kill('SIGTERM')
      }),
  }
}
