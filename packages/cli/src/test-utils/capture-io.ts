import type { Io } from '../io.js'

export interface CapturedIo {
  io: Io
  /** Everything written to stdout so far. */
  out(): string
  /** Everything written to stderr so far. */
  err(): string
  /** Questions asked so far. */
  questions: string[]
}

/** An {@link Io} that records output and answers prompts from `answers`, in order. */
export function captureIo(
  opts: { answers?: string[]; env?: Record<string, string>; homeDir?: string; cwd?: string } = {},
): CapturedIo {
  let stdout = ''
  let stderr = ''
  const answers = [...(opts.answers ?? [])]
  const questions: string[] = []
  return {
    io: {
      stdout: { write: (text) => void (stdout += decode(text)) },
      stderr: { write: (text) => void (stderr += decode(text)) },
      prompt: {
        ask: async (question) => {
          questions.push(question)
          const answer = answers.shift()
          if (answer === undefined) {
            throw new Error(`unexpected prompt: ${question}`)
          }
          return answer
        },
      },
      env: opts.env ?? {},
      homeDir: opts.homeDir ?? '/nonexistent-home',
      cwd: opts.cwd ?? process.cwd(),
    },
    out: () => stdout,
    err: () => stderr,
    questions,
  }
}

function decode(text: string | Uint8Array): string {
  return typeof text === 'string' ? text : Buffer.from(text).toString('utf8')
}
