import type { Flags } from './flags.js'
import { LogBuffer, type LogKind } from './log-buffer.js'
import { LogForwarder, type SendOutcome } from './log-forwarder.js'
import {
  filesystemLoggerPlugin,
  multiLogger,
  tlsLoggerPlugin,
  type LoggerPlugin,
  type StatusContext,
} from './logger-plugins.js'
import { errorText } from '../../transport/remote-client.js'
import type { TlsSession } from './session.js'
import type { DaemonLog } from './status-log.js'
import type { StateStore } from './state-store.js'

/** The logger plugins --logger_plugin names, and the TLS forwarder when `tls` is among them. */
export interface Logging {
  plugin: LoggerPlugin
  forwarder: LogForwarder | undefined
  buffer: LogBuffer
  /** Lines the server accepted, by type. */
  sent: Record<LogKind, number>
}

/** What the logger plugins are built from. */
export interface LoggingOptions {
  flags: Flags
  store: StateStore
  session: TlsSession
  log: DaemonLog
  context: StatusContext
  /** Raw stderr, for failures of the logger itself (never routed back into the loggers). */
  stderr: (text: string) => void
}

/**
 * Builds the logger plugins: `tls` (on-disk buffer drained by the forwarder to
 * --logger_tls_endpoint), `filesystem` (files in --logger_path); others are reported as
 * unavailable. --disable_logging keeps results and status logs off every plugin.
 */
export function createLogging(options: LoggingOptions): Logging {
  const { flags, log, session } = options
  const sent: Record<LogKind, number> = { result: 0, status: 0 }
  const buffer = new LogBuffer(options.store.db, () => ({
    maxLines: flags.int('buffered_log_max'),
    maxBytes: flags.int('fleetd_buffered_log_max_bytes'),
  }))
  const names = flags
    .get('logger_plugin')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
  let forwarder: LogForwarder | undefined
  const plugins: LoggerPlugin[] = []
  for (const name of flags.bool('disable_logging') ? [] : names) {
    if (name === 'tls') {
      forwarder = new LogForwarder({
        buffer,
        log,
        settings: () => ({
          periodMs: flags.int('logger_tls_period', 4) * 1000,
          maxLines: flags.int('logger_tls_max_lines', 1024),
          maxLineSize: flags.int('logger_tls_max_linesize', 1048576),
          backoffMaxMs: flags.int('logger_tls_backoff_max', 3600) * 1000,
        }),
        send: async (kind, data, signal): Promise<SendOutcome> => {
          const result = await session.post(
            flags.get('logger_tls_endpoint'),
            { log_type: kind, data },
            1,
            { compress: flags.bool('logger_tls_compress'), signal },
          )
          if (result.kind === 'ok') {
            sent[kind] += data.length
            return 'ok'
          }
          log.debug(`Error sending ${kind} logs: ${result.error}`)
          return result.kind === 'error' && result.status === 413 ? 'too-large' : 'failed'
        },
      })
      const notify = forwarder.notify.bind(forwarder)
      plugins.push(
        tlsLoggerPlugin({
          buffer,
          context: options.context,
          sendStatus: () => !flags.bool('tls_disable_status_log'),
          bufferedLogMax: () => flags.int('buffered_log_max'),
          onAppend: notify,
        }),
      )
    } else if (name === 'filesystem') {
      plugins.push(
        filesystemLoggerPlugin({
          dir: () => flags.get('logger_path'),
          mode: () => Number.parseInt(flags.get('logger_mode') || '0640', 8) || 0o640,
          context: options.context,
        }),
      )
    } else {
      log.warn(`Logger plugin ${name} is not available in fleetd`)
    }
  }
  const plugin = multiLogger(plugins, (err) =>
    options.stderr(`osqueryd: logger plugin failed: ${errorText(err)}\n`),
  )
  return { plugin, forwarder, buffer, sent }
}
