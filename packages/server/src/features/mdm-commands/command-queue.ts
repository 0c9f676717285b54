import type { Db } from '../../db/database.js'
import type { CommandReport, EncodedCommand } from './command.js'
import * as service from './command-queue.service.js'
import type {
  CommandQueueDeps,
  EnqueueOptions,
  EnqueueResult,
  NextCommand,
} from './command-queue.service.js'
import type { Pusher } from './push.js'
import type { ResultHandlers } from './result-handlers.js'

/**
 * The MDM command queue as other features use it (check-in, profiles, DDM, fleetctl's
 * run-command). See README.md for the semantics.
 */
export interface CommandQueue {
  enqueue(
    enrollmentIds: readonly string[],
    command: EncodedCommand | string,
    options?: EnqueueOptions,
  ): Promise<EnqueueResult>
  /** Store a ServerURL report and pick the next command (undefined = empty 200 body). */
  reportAndNext(
    enrollmentId: string,
    report: string | CommandReport,
  ): Promise<NextCommand | undefined>
  report(enrollmentId: string, report: string | CommandReport): Promise<void>
  next(enrollmentId: string, skipNotNow?: boolean): Promise<NextCommand | undefined>
  /** Authenticate: inactivate the device's unanswered commands (pass the check-in's transaction). */
  clearQueue(db: Db, deviceId: string): Promise<number>
  /** Register handlers for the results of a RequestType here. */
  readonly handlers: ResultHandlers
  readonly pusher: Pusher
}

export function createCommandQueue(deps: CommandQueueDeps): CommandQueue {
  return {
    enqueue: (ids, command, options) => service.enqueue(deps, ids, command, options),
    reportAndNext: (id, report) => service.reportAndNext(deps, id, report),
    report: (id, report) => service.report(deps, id, report),
    next: (id, skipNotNow) => service.next(deps, id, skipNotNow),
    clearQueue: (db, deviceId) => service.clearQueue(db, deviceId),
    handlers: deps.handlers,
    pusher: deps.pusher,
  }
}
