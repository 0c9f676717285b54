import { cols, type TableSpec } from '../table.js'

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

const pad = (n: number): string => String(n).padStart(2, '0')

function localTimezone(date: Date): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(date)
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? ''
}

/** uptime: seconds since boot from /proc/uptime, and the same split into days/hours/minutes. */
export const uptimeTable: TableSpec = {
  name: 'uptime',
  columns: cols('days:INTEGER hours:INTEGER minutes:INTEGER seconds:INTEGER total_seconds:BIGINT'),
  *rows({ fs }) {
    const first = fs.readText('/proc/uptime')?.split(/\s+/)[0]
    const total = first === undefined ? NaN : Math.floor(Number(first))
    if (!Number.isFinite(total)) {
      return
    }
    yield {
      days: Math.floor(total / 86_400),
      hours: Math.floor((total % 86_400) / 3_600),
      minutes: Math.floor((total % 3_600) / 60),
      seconds: total % 60,
      total_seconds: total,
    }
  },
}

/** time: the current time in UTC, in osquery's several formats. */
export const timeTable: TableSpec = {
  name: 'time',
  columns: cols(
    'weekday year:INTEGER month:INTEGER day:INTEGER hour:INTEGER minutes:INTEGER ' +
      'seconds:INTEGER timezone local_timezone unix_time:INTEGER timestamp datetime iso_8601',
  ),
  foreign: ['win_timestamp'],
  *rows({ probe }) {
    const date = new Date(probe.now())
    const iso = `${date.toISOString().slice(0, 19)}Z`
    const day = date.getUTCDate()
    const clock = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
    const weekday = WEEKDAYS[date.getUTCDay()] ?? ''
    yield {
      weekday,
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day,
      hour: date.getUTCHours(),
      minutes: date.getUTCMinutes(),
      seconds: date.getUTCSeconds(),
      timezone: 'UTC',
      local_timezone: localTimezone(date),
      unix_time: Math.floor(date.getTime() / 1000),
      // asctime() layout: "Mon Jan  1 00:00:00 2024 UTC"
      timestamp: `${weekday.slice(0, 3)} ${MONTHS[date.getUTCMonth()] ?? ''} ${String(day).padStart(2, ' ')} ${clock} ${date.getUTCFullYear()} UTC`,
      datetime: iso,
      iso_8601: iso,
    }
  },
}
