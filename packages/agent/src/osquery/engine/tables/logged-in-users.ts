import { cols, type TableRow, type TableSpec } from '../table.js'

/** Size of glibc's `struct utmp` on Linux (x86_64, aarch64; 32-bit time fields in both). */
export const UTMP_RECORD_SIZE = 384

const LOGIN_TYPES = [
  'empty',
  'runlevel',
  'boot_time',
  'new_time',
  'old_time',
  'init',
  'login',
  'user',
  'dead',
  'accounting',
]

function cString(buffer: Buffer, start: number, length: number): string {
  const field = buffer.subarray(start, start + length)
  const nul = field.indexOf(0)
  return field.subarray(0, nul < 0 ? field.length : nul).toString('utf8')
}

/**
 * Decodes utmp records: ut_type (int16 @0), ut_pid (@4), ut_line[32] (@8), ut_user[32] (@44),
 * ut_host[256] (@76), ut_tv.tv_sec (int32 @340). Entries of pid 1 are skipped, as osquery does.
 */
export function parseUtmp(buffer: Buffer): TableRow[] {
  const rows: TableRow[] = []
  for (let offset = 0; offset + UTMP_RECORD_SIZE <= buffer.length; offset += UTMP_RECORD_SIZE) {
    const pid = buffer.readInt32LE(offset + 4)
    if (pid === 1) {
      continue
    }
    rows.push({
      type: LOGIN_TYPES[buffer.readInt16LE(offset)] ?? 'unknown',
      user: cString(buffer, offset + 44, 32),
      tty: cString(buffer, offset + 8, 32),
      host: cString(buffer, offset + 76, 256),
      time: buffer.readInt32LE(offset + 340),
      pid,
    })
  }
  return rows
}

/** logged_in_users: the login records of /var/run/utmp (binary `struct utmp`). */
export const loggedInUsersTable: TableSpec = {
  name: 'logged_in_users',
  columns: cols('type user tty host time:BIGINT pid:INTEGER'),
  foreign: ['sid', 'registry_hive'],
  *rows({ fs }) {
    const utmp = fs.readBuffer('/var/run/utmp') ?? fs.readBuffer('/run/utmp')
    if (utmp) {
      yield* parseUtmp(utmp)
    }
  },
}
