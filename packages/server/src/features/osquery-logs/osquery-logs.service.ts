import { UnavailableError } from '../../platform/errors/index.js'
import type { LogHost, ResultLogProcessor } from '../queries/index.js'
import type { LogSinks, LogType } from './log-destinations.js'

/** The log buffer can't take the request's lines now (503); osquery sends them again later. */
export class LogBufferFullError extends UnavailableError {
  constructor(type: LogType) {
    super(`the ${type} log destination is behind; send the logs again later`)
  }
}

export type OsqueryLogService = ReturnType<typeof createOsqueryLogService>

function serialize(entries: readonly unknown[]): string[] {
  const lines: string[] = []
  for (const entry of entries) {
    const line = JSON.stringify(entry)
    if (typeof line === 'string') {
      lines.push(line)
    }
  }
  return lines
}

/**
 * `/api/osquery/log`: status logs go to the status destination; result logs first feed query
 * reports (queries feature), then those meant for automations go to the result destination.
 * The request is answered once its lines are written (grouped with other requests' lines); when
 * a buffer is full or the destination fails, the submission is refused with 503 and osquery
 * sends it again.
 */
export function createOsqueryLogService(sinks: LogSinks, results?: ResultLogProcessor) {
  async function submit(host: LogHost, type: LogType, data: readonly unknown[]): Promise<void> {
    const sink = type === 'result' ? sinks.result : sinks.status
    if (!sink.hasRoom(data.length)) {
      await sink.offer(serialize(data)) // counted as refused
      throw new LogBufferFullError(type)
    }
    const forward = type === 'result' && results ? await results.process(host, data) : data
    // Answered only once written: a server killed now loses nothing osquery was told it kept.
    if (!(await sink.offer(serialize(forward)))) {
      throw new LogBufferFullError(type)
    }
  }

  return { submit, sinks, close: () => sinks.close() }
}
