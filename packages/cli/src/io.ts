/** Where a command writes text. Commands never touch `process.stdout` or `console`. */
export interface Writer {
  /** Text, or raw bytes (a carve's contents with `get carve --stdout`). */
  write(text: string | Uint8Array): void
}

/** Asks the user for a value; `secret` input is not echoed. */
export interface Prompter {
  ask(question: string, opts?: { secret?: boolean }): Promise<string>
}

/**
 * Everything a command may touch outside its arguments. `main` builds it from the process;
 * tests build it from buffers and scripted answers.
 */
export interface Io {
  stdout: Writer
  stderr: Writer
  prompt: Prompter
  env: Readonly<Record<string, string | undefined>>
  homeDir: string
  cwd: string
  /** Whether stderr is a terminal (progress lines redraw in place there). */
  stderrIsTTY?: boolean
  /** Resolves with the signal's name when the user interrupts (Ctrl-C) or the process is told to stop. */
  untilInterrupted?: () => Promise<string>
}

/** Writes `text` and a newline. */
export function println(writer: Writer, text = ''): void {
  writer.write(`${text}\n`)
}
