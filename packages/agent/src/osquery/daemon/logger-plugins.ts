import { appendFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { LogBuffer } from './log-buffer.js'
import { calendarTime } from './result-log.js'
import type { StatusEntry } from './status-log.js'

/** A logger plugin: receives result lines and status events. */
export interface LoggerPlugin {
  /** Result lines, already JSON; `snapshot` lines go to the snapshot log where one exists. */
  results(lines: readonly string[], snapshot: boolean): void
  status(entry: StatusEntry): void
}

/** What status lines carry besides the event itself. */
export interface StatusContext {
  hostIdentifier: () => string
  decorations: () => Record<string, string>
  version: string
}

/**
 * osquery's status log line (BufferedLogForwarder::logStatus): every value a string, as its
 * property-tree JSON writer emits them; `decorations` only when there are any.
 */
export function statusLine(entry: StatusEntry, context: StatusContext): string {
  const decorations = context.decorations()
  return JSON.stringify({
    hostIdentifier: context.hostIdentifier(),
    calendarTime: calendarTime(entry.unixTime),
    unixTime: String(entry.unixTime),
    severity: String(entry.severity),
    filename: entry.filename,
    line: String(entry.line),
    message: entry.message,
    version: context.version,
    ...(Object.keys(decorations).length > 0 && { decorations }),
  })
}

/**
 * The tls plugin's half that runs in the daemon: lines go into the on-disk buffer that the
 * LogForwarder drains. A purge (buffer over its bounds) is reported with osquery's warning.
 */
export function tlsLoggerPlugin(options: {
  buffer: LogBuffer
  context: StatusContext
  sendStatus: () => boolean
  bufferedLogMax: () => number
  onAppend: () => void
}): LoggerPlugin {
  const append = (kind: 'result' | 'status', lines: readonly string[]): void => {
    const before = options.buffer.size() + lines.length
    const purged = options.buffer.append(kind, lines)
    if (purged > 0) {
      // Appended directly: a warning must not itself trigger another warning.
      const warning: StatusEntry = {
        severity: 1,
        filename: 'log-buffer.ts',
        line: 0,
        message: `Purging buffered logs limit (${options.bufferedLogMax()}) exceeded: ${before}`,
        unixTime: Math.floor(Date.now() / 1000),
      }
      options.buffer.append('status', [statusLine(warning, options.context)])
    }
    options.onAppend()
  }
  return {
    results: (lines) => append('result', lines),
    status: (entry) => {
      if (options.sendStatus()) {
        append('status', [statusLine(entry, options.context)])
      }
    },
  }
}

/**
 * The filesystem plugin: result lines appended to `osqueryd.results.log`, snapshots to
 * `osqueryd.snapshots.log`, and status lines (as JSON) to `osqueryd.status.log`, in --logger_path.
 */
export function filesystemLoggerPlugin(options: {
  dir: () => string
  mode: () => number
  context: StatusContext
}): LoggerPlugin {
  const write = (file: string, lines: readonly string[]): void => {
    if (lines.length === 0) {
      return
    }
    const dir = options.dir()
    mkdirSync(dir, { recursive: true, mode: 0o750 })
    appendFileSync(join(dir, file), lines.map((line) => `${line}\n`).join(''), {
      mode: options.mode(),
    })
  }
  return {
    results: (lines, snapshot) =>
      write(snapshot ? 'osqueryd.snapshots.log' : 'osqueryd.results.log', lines),
    status: (entry) => write('osqueryd.status.log', [statusLine(entry, options.context)]),
  }
}

/** Fans out to several plugins (--logger_plugin=filesystem,tls); one failing spares the rest. */
export function multiLogger(
  plugins: readonly LoggerPlugin[],
  onError: (err: unknown) => void,
): LoggerPlugin {
  const each = (fn: (plugin: LoggerPlugin) => void): void => {
    for (const plugin of plugins) {
      try {
        fn(plugin)
      } catch (err) {
        onError(err)
      }
    }
  }
  return {
    results: (lines, snapshot) => each((plugin) => plugin.results(lines, snapshot)),
    status: (entry) => each((plugin) => plugin.status(entry)),
  }
}
