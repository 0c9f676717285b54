import { isHttpUrl } from '@fleet/api'
import { join } from 'node:path'
import type { Writable } from 'node:stream'
import { ConfigError, type Config } from '../../config/index.js'
import { errorMessage } from '../../platform/errors/index.js'
import type { Logger } from '../../platform/logger.js'
import { BufferedLogSink } from './buffered-sink.js'
import { FilesystemDestination } from './filesystem-destination.js'
import type { LogDestination } from './log-destination.js'
import { StdoutDestination } from './stdout-destination.js'
import { WebhookDestination } from './webhook-destination.js'

export type LogType = 'result' | 'status'

export interface LogSinks {
  result: BufferedLogSink
  status: BufferedLogSink
  /**
   * Checks at start that both destinations can take lines; throws a ConfigError naming the setting
   * and the path (a read-only log path would otherwise lose every result later).
   */
  check(): Promise<void>
  close(): Promise<void>
}

/** The setting that names a log file, for error messages. */
function fileSetting(type: LogType): string {
  return type === 'result' ? 'filesystem.result_log_file' : 'filesystem.status_log_file'
}

const MEGABYTE = 1024 * 1024
const DAY_MS = 24 * 60 * 60 * 1000

/** The destination `osquery.<type>_log_plugin` names, with its settings. */
export function createDestination(
  config: Config,
  type: LogType,
  options: { stdout?: Writable } = {},
): LogDestination {
  const plugin =
    type === 'result' ? config.osquery.result_log_plugin : config.osquery.status_log_plugin
  switch (plugin) {
    case 'filesystem': {
      const fs = config.filesystem
      const file = type === 'result' ? fs.result_log_file : fs.status_log_file
      return new FilesystemDestination({
        path: file || join(config.data_dir, `osquery_${type}`),
        rotation: fs.enable_log_rotation
          ? {
              maxBytes: fs.max_size * MEGABYTE,
              maxBackups: fs.max_backups,
              maxAgeMs: fs.max_age * DAY_MS,
              compress: fs.enable_log_compression,
            }
          : undefined,
      })
    }
    case 'stdout':
      return new StdoutDestination(options.stdout)
    case 'webhook': {
      const url = type === 'result' ? config.webhook.result_url : config.webhook.status_url
      if (!isHttpUrl(url)) {
        throw new ConfigError(
          `webhook.${type}_url`,
          `an http or https URL is required when osquery.${type}_log_plugin is webhook`,
        )
      }
      return new WebhookDestination({ url })
    }
  }
}

/**
 * Lines wait this long for more before a write (their requests wait with them): at most ~100
 * writes a second per log, whatever the load, for 10 ms more on a log post.
 */
const LOG_COALESCE_MS = 10

/** The result and status log sinks of the configured destinations. */
export function createLogSinks(
  config: Config,
  log: Logger,
  options: { stdout?: Writable; destinations?: Partial<Record<LogType, LogDestination>> } = {},
): LogSinks {
  const sink = (type: LogType) =>
    new BufferedLogSink(options.destinations?.[type] ?? createDestination(config, type, options), {
      name: type,
      capacity: config.osquery.log_buffer_lines,
      coalesceMs: LOG_COALESCE_MS,
      log,
    })
  const result = sink('result')
  const status = sink('status')
  const check = async (type: LogType, sink: BufferedLogSink) => {
    try {
      await sink.check()
    } catch (err) {
      // Only the filesystem destination checks; fs errors name the path (EACCES … open '/x').
      throw new ConfigError(fileSetting(type), `cannot write the ${type} log: ${errorMessage(err)}`)
    }
  }
  return {
    result,
    status,
    check: async () => {
      await check('result', result)
      await check('status', status)
    },
    close: async () => {
      await Promise.all([result.close(), status.close()])
    },
  }
}
