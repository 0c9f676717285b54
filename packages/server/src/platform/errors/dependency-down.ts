import { UnavailableError } from './errors.js'

/** Connection-level error codes of the database drivers and sockets: the server can't be reached. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  // PostgreSQL: admin shutdown, crash shutdown, cannot connect now, too many connections.
  '57P01',
  '57P02',
  '57P03',
  '53300',
  // SQLite: the database file is locked beyond busy_timeout, or the disk is full.
  'SQLITE_BUSY',
  'SQLITE_FULL',
])

function codeOf(err: object): string {
  return 'code' in err && typeof err.code === 'string' ? err.code : ''
}

/**
 * The 503 for an error that means a dependency is down rather than a bug: the database refused or
 * dropped the connection, the disk is full. Undefined for anything else. The reason names the
 * dependency, never the error's text (which can hold addresses and credentials).
 */
export function dependencyDown(err: unknown): UnavailableError | undefined {
  if (err instanceof UnavailableError) {
    return err
  }
  if (typeof err !== 'object' || err === null) {
    return undefined
  }
  const code = codeOf(err)
  if (CONNECTION_CODES.has(code)) {
    return new UnavailableError(
      code === 'SQLITE_FULL' ? 'the disk is full' : 'the database is unavailable',
    )
  }
  if (
    /Connection terminated|connection timeout|Connection is closed/i.test(
      String(Reflect.get(err, 'message')),
    )
  ) {
    return new UnavailableError('the database is unavailable')
  }
  return undefined
}
