import { basename } from 'node:path'

/** glog severities as osquery's status logs number them: INFO. */
export const INFO = 0
/** WARNING severity. */
export const WARNING = 1
/** ERROR severity. */
export const ERROR = 2
/** One of INFO, WARNING, ERROR. */
export type Severity = typeof INFO | typeof WARNING | typeof ERROR

/** One status log event before it becomes a JSON line. */
export interface StatusEntry {
  severity: Severity
  filename: string
  line: number
  message: string
  unixTime: number
}

/** Where the daemon's own messages go, and which of them. */
export interface DaemonLogOptions {
  /** Writes one line of text (stderr). */
  write: (text: string) => void
  /** --verbose: debug messages shown, and forwarded as INFO status logs. */
  verbose: () => boolean
  /** --logger_stderr and --logger_min_stderr. */
  stderr: () => { enabled: boolean; minSeverity: number }
  /** --logger_min_status. */
  minStatus: () => number
  now?: () => number
}

const LETTERS = ['I', 'W', 'E']
const PENDING_MAX = 1000

/** Where the calling code is, for the status log's filename/line (osquery's __FILE__/__LINE__). */
function callSite(): { filename: string; line: number } {
  const stack = new Error().stack?.split('\n') ?? []
  for (const frame of stack.slice(1)) {
    const match = /\(?([^()\s]+):(\d+):\d+\)?$/.exec(frame.trim())
    if (match?.[1] && !match[1].includes('status-log.')) {
      return { filename: basename(match[1]), line: Number(match[2]) }
    }
  }
  return { filename: 'osqueryd', line: 0 }
}

function glogPrefix(severity: Severity, filename: string, line: number, at: Date): string {
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0')
  const stamp =
    `${pad(at.getMonth() + 1)}${pad(at.getDate())} ` +
    `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds(), 3)}`
  return `${LETTERS[severity]}${stamp} ${process.pid} ${filename}:${line}]`
}

/**
 * The daemon's own log: glog-style lines on stderr and osquery status logs for the logger
 * plugins. Entries logged before a sink is attached (start-up, enrollment) are kept and
 * replayed, as osquery does for its logger's init(). Callers must never pass secrets.
 */
export class DaemonLog {
  private sink: ((entry: StatusEntry) => void) | undefined
  private pending: StatusEntry[] = []

  constructor(private readonly options: DaemonLogOptions) {}

  debug(message: string): void {
    if (this.options.verbose()) {
      this.emit(INFO, message)
    }
  }

  info(message: string): void {
    this.emit(INFO, message)
  }

  warn(message: string): void {
    this.emit(WARNING, message)
  }

  error(message: string): void {
    this.emit(ERROR, message)
  }

  /** Routes status logs to the logger plugins from now on, replaying what came before. */
  attach(sink: (entry: StatusEntry) => void): void {
    this.sink = sink
    const pending = this.pending
    this.pending = []
    for (const entry of pending) {
      sink(entry)
    }
  }

  /** Stops forwarding (shutdown); later entries go to stderr only. */
  detach(): void {
    this.sink = undefined
  }

  private emit(severity: Severity, message: string): void {
    const { filename, line } = callSite()
    const nowMs = this.options.now?.() ?? Date.now()
    const verbose = this.options.verbose()
    const stderr = this.options.stderr()
    if (verbose || (stderr.enabled && severity >= stderr.minSeverity)) {
      this.options.write(`${glogPrefix(severity, filename, line, new Date(nowMs))} ${message}\n`)
    }
    if (!verbose && severity < this.options.minStatus()) {
      return
    }
    const entry: StatusEntry = {
      severity,
      filename,
      line,
      message,
      unixTime: Math.floor(nowMs / 1000),
    }
    if (this.sink) {
      this.sink(entry)
    } else if (this.pending.length < PENDING_MAX) {
      this.pending.push(entry)
    }
  }
}
