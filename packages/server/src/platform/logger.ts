import type { FastifyBaseLogger } from 'fastify'
import { pino, type Logger } from 'pino'
import { PinoPretty } from 'pino-pretty'

export type { Logger }

/** The logging surface code needs: a pino logger or a request's child logger. */
export type Log = FastifyBaseLogger

/** Paths that must never reach a log line. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.new_password',
  '*.old_password',
  '*.password_confirmation',
  '*.token',
  '*.secret',
  '*.enroll_secret',
  '*.node_key',
]

/**
 * The root logger: JSON lines for log shippers (`logging.json`) or readable text, debug optional.
 * Secrets in known fields are redacted whatever a caller passes.
 */
export function createLogger(options: {
  debug: boolean
  json: boolean
  destination?: NodeJS.WritableStream
}): Logger {
  const base = {
    level: options.debug ? 'debug' : 'info',
    redact: { paths: REDACT, censor: '[redacted]' },
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
  }
  const destination = options.destination ?? process.stderr
  if (options.json) {
    return pino(base, destination)
  }
  return pino(base, PinoPretty({ sync: true, destination, translateTime: 'SYS:standard' }))
}

/** A logger that drops everything (tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
