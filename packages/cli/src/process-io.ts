import { homedir } from 'node:os'
import { createInterface, type Interface } from 'node:readline'
import { Writable } from 'node:stream'
import { CliError } from './errors.js'
import type { Io, Prompter } from './io.js'

/** The real process's {@link Io}; `dispose` releases stdin so the process can exit. */
export function processIo(): Io & { dispose(): void } {
  const prompter = stdinPrompter()
  return {
    stdout: { write: (text) => void process.stdout.write(text) },
    stderr: { write: (text) => void process.stderr.write(text) },
    prompt: prompter,
    env: process.env,
    homeDir: homedir(),
    cwd: process.cwd(),
    stderrIsTTY: process.stderr.isTTY,
    dispose: () => prompter.dispose(),
  }
}

/**
 * Prompts on stderr. On a terminal, secret answers are not echoed; otherwise answers are read one
 * per line from stdin, so `printf 'me@example.com\npassword\n' | fleetctl login` works.
 */
function stdinPrompter(): Prompter & { dispose(): void } {
  let piped: { rl: Interface; lines: AsyncIterator<string> } | undefined
  return {
    async ask(question, opts = {}) {
      if (process.stdin.isTTY) {
        return askTerminal(question, opts.secret ?? false)
      }
      if (!piped) {
        const rl = createInterface({ input: process.stdin, terminal: false })
        piped = { rl, lines: rl[Symbol.asyncIterator]() }
      }
      const next = await piped.lines.next()
      if (next.done) {
        throw new CliError(`no answer on stdin for "${question.trim()}"`)
      }
      return next.value
    },
    dispose() {
      piped?.rl.close()
    },
  }
}

function askTerminal(question: string, secret: boolean): Promise<string> {
  // For secrets, readline echoes into a sink instead of the terminal, so the question is
  // written directly; otherwise readline shows it as its prompt.
  const output = secret ? new Writable({ write: (_chunk, _enc, done) => done() }) : process.stderr
  const rl = createInterface({ input: process.stdin, output, terminal: true })
  if (secret) {
    process.stderr.write(question)
  }
  return new Promise((resolve, reject) => {
    rl.on('SIGINT', () => {
      rl.close()
      process.stderr.write('\n')
      reject(new CliError('interrupted'))
    })
    rl.question(secret ? '' : question, (answer) => {
      rl.close()
      if (secret) {
        process.stderr.write('\n')
      }
      resolve(answer)
    })
  })
}
