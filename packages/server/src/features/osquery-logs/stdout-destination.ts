import { once } from 'node:events'
import type { Writable } from 'node:stream'
import type { LogDestination } from './log-destination.js'

/** JSON lines on a stream: the server's standard output unless another is given (tests). */
export class StdoutDestination implements LogDestination {
  readonly kind = 'stdout'
  readonly #stream: Writable

  constructor(stream: Writable = process.stdout) {
    this.#stream = stream
  }

  async write(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) {
      return
    }
    if (!this.#stream.write(`${lines.join('\n')}\n`)) {
      await once(this.#stream, 'drain')
    }
  }

  close(): Promise<void> {
    return Promise.resolve()
  }
}
