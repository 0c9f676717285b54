import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

/** Values a log line may carry; never secrets (enroll secret, node keys, device tokens). */
export type LogFields = Record<string, string | number | boolean | undefined>

export interface OrbitLog {
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
  debug(message: string, fields?: LogFields): void
}

/**
 * Orbit's log: one line per event (`<time> <level> <message> key=value…`) appended to `file` and
 * written to stderr, so it is readable both under a service manager and in a terminal.
 */
export function createOrbitLog(options: {
  file?: string
  debug?: boolean
  stderr?: (line: string) => void
  now?: () => Date
}): OrbitLog {
  const stderr = options.stderr ?? ((line: string) => process.stderr.write(line))
  const now = options.now ?? (() => new Date())
  if (options.file) {
    mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 })
  }
  const write = (level: string, message: string, fields: LogFields = {}): void => {
    const extra = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${formatValue(value)}`)
    const line = `${now().toISOString()} ${level} ${message}${extra.length ? ` ${extra.join(' ')}` : ''}\n`
    stderr(line)
    if (options.file) {
      try {
        appendFileSync(options.file, line, { mode: 0o600 })
      } catch {
        // A full or read-only disk must not stop the agent; stderr still has the line.
      }
    }
  }
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    debug: (message, fields) => {
      if (options.debug) {
        write('debug', message, fields)
      }
    },
  }
}

function formatValue(value: string | number | boolean | undefined): string {
  const text = String(value)
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text
}
