import type { Db } from '../../db/database.js'
import type { Log } from '../../platform/logger.js'
import type { CommandReport } from './command.js'

/** What a result handler learns about one answer the queue just stored. */
export interface CommandResultEvent {
  /** The transaction that stored the result: a handler's writes commit (or roll back) with it. */
  db: Db
  log: Log
  enrollmentId: string
  deviceId: string
  commandUuid: string
  requestType: string
  /** Never Idle: Acknowledged, Error, CommandFormatError or NotNow. */
  report: CommandReport
  now: number
}

/**
 * Reacts to a device's answer to one RequestType (InstallProfile → profile status,
 * DeclarativeManagement → declaration status, DeviceInformation → host vitals). Throwing rolls
 * the result back and the device gets an error; it reports again later.
 */
export type CommandResultHandler = (event: CommandResultEvent) => Promise<void>

/** Handlers by RequestType; features register theirs when the server is built. */
export interface ResultHandlers {
  /** Adds a handler; several may share a RequestType (they run in registration order). */
  register(requestType: string, handler: CommandResultHandler): void
  handlersFor(requestType: string): readonly CommandResultHandler[]
}

export function createResultHandlers(): ResultHandlers {
  const byType = new Map<string, CommandResultHandler[]>()
  return {
    register(requestType, handler) {
      const list = byType.get(requestType) ?? []
      list.push(handler)
      byType.set(requestType, list)
    },
    handlersFor(requestType) {
      return byType.get(requestType) ?? []
    },
  }
}
