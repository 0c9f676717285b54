import type { Kysely } from 'kysely'
import type { Database, Db } from '../../db/database.js'
import type { Clock } from '../../platform/clock.js'
import { transactionWithRetry } from '../../platform/db/index.js'
import { InvalidArgumentError, NotFoundError } from '../../platform/errors/index.js'
import type { Log } from '../../platform/logger.js'
import {
  decodeCommand,
  parseCommandReport,
  type CommandReport,
  type EncodedCommand,
} from './command.js'
import {
  existingEnrollmentIds,
  findEnrollment,
  lockEnrollment,
  touchEnrollment,
} from './enrollments.store.js'
import * as queue from './queue.store.js'
import type { PushResult, Pusher } from './push.js'
import type { ResultHandlers } from './result-handlers.js'

/**
 * How long a command handed to a device is not handed out again while unanswered: a second
 * request of the same device during that time (a retry racing the first) gets nothing rather than
 * the same command twice. Devices answer one command before asking for the next, so an unanswered
 * command past the lease was lost on the way and is offered again.
 */
export const DEFAULT_DELIVERY_LEASE_MS = 30_000

export interface CommandQueueDeps {
  db: Kysely<Database>
  clock: Clock
  log: Log
  handlers: ResultHandlers
  pusher: Pusher
  deliveryLeaseMs?: number
}

export interface EnqueueOptions {
  /** Higher first; default 0. */
  priority?: number
  /** Push the enrollments after queueing (default true; false is nanomdm's `?nopush=1`). */
  push?: boolean
}

export interface EnqueueResult {
  commandUuid: string
  /** One per enrollment when pushed; empty with `push: false`. */
  pushes: PushResult[]
}

/** The next command for a device: its uuid and the plist to send as the response body. */
export interface NextCommand {
  commandUuid: string
  plist: string
}

/**
 * Queues one command for each of `enrollmentIds` (all must exist), then pushes them once each.
 * The command is an encoded one (`encodeCommand`) or a raw plist (checked by `decodeCommand`).
 */
export async function enqueue(
  deps: CommandQueueDeps,
  enrollmentIds: readonly string[],
  command: EncodedCommand | string,
  options: EnqueueOptions = {},
): Promise<EnqueueResult> {
  const encoded =
    typeof command === 'string' ? decodeCommand(command) : decodeCommand(command.plist)
  const ids = [...new Set(enrollmentIds)]
  if (ids.length === 0) {
    throw InvalidArgumentError.field('enrollment_ids', 'no enrollment to queue the command for')
  }
  const now = deps.clock.now().getTime()
  await transactionWithRetry(deps.db, async (trx) => {
    if (await queue.commandExists(trx, encoded.commandUuid)) {
      throw InvalidArgumentError.field('command_uuid', `command ${encoded.commandUuid} exists`)
    }
    const known = new Set(await existingEnrollmentIds(trx, ids))
    const missing = ids.filter((id) => !known.has(id))
    if (missing.length > 0) {
      throw new NotFoundError(`MDM enrollment ${missing.join(', ')}`)
    }
    await queue.insertCommand(trx, encoded, now)
    await queue.insertQueueRows(trx, ids, encoded.commandUuid, options.priority ?? 0, now)
  })
  deps.log.debug(
    { commandUuid: encoded.commandUuid, requestType: encoded.requestType, count: ids.length },
    'MDM command queued',
  )
  const pushes = options.push === false ? [] : await deps.pusher.push(ids)
  return { commandUuid: encoded.commandUuid, pushes }
}

async function storeReport(
  deps: CommandQueueDeps,
  trx: Db,
  enrollmentId: string,
  report: CommandReport,
  now: number,
): Promise<void> {
  await touchEnrollment(trx, enrollmentId, now)
  if (report.status === 'Idle' || report.commandUuid === undefined) {
    return
  }
  const queued = await queue.findQueuedCommand(trx, enrollmentId, report.commandUuid)
  if (!queued) {
    throw InvalidArgumentError.field(
      'CommandUUID',
      `command ${report.commandUuid} was never queued for this enrollment`,
    )
  }
  await queue.saveResult(
    trx,
    { enrollmentId, commandUuid: report.commandUuid, status: report.status, raw: report.raw },
    now,
  )
  const enrollment = await findEnrollment(trx, enrollmentId)
  for (const handler of deps.handlers.handlersFor(queued.requestType)) {
    await handler({
      db: trx,
      log: deps.log,
      enrollmentId,
      deviceId: enrollment?.deviceId ?? enrollmentId,
      commandUuid: report.commandUuid,
      requestType: queued.requestType,
      report,
      now,
    })
  }
}

async function takeNext(
  deps: CommandQueueDeps,
  trx: Db,
  enrollmentId: string,
  skipNotNow: boolean,
  now: number,
): Promise<NextCommand | undefined> {
  const head = await queue.queueHead(trx, enrollmentId, skipNotNow)
  if (!head) {
    return undefined
  }
  const lease = deps.deliveryLeaseMs ?? DEFAULT_DELIVERY_LEASE_MS
  if (head.deliveredAt !== null && now - head.deliveredAt < lease) {
    return undefined // in flight to a concurrent request of this device
  }
  await queue.setDelivered(trx, enrollmentId, head.commandUuid, now)
  return { commandUuid: head.commandUuid, plist: head.command }
}

async function withEnrollmentLock<T>(
  deps: CommandQueueDeps,
  enrollmentId: string,
  work: (trx: Db) => Promise<T>,
): Promise<T> {
  return transactionWithRetry(deps.db, async (trx) => {
    if (!(await lockEnrollment(trx, enrollmentId))) {
      throw new NotFoundError(`MDM enrollment ${enrollmentId}`)
    }
    return work(trx)
  })
}

/**
 * A device's report to the ServerURL, end to end: store the answer (`report` as received, parsed
 * by `parseCommandReport`), run the RequestType's result handlers, and pick the next command
 * (NotNow'ed ones skipped after a NotNow). One transaction with the enrollment locked, so
 * concurrent reports of one device take turns. Undefined = answer with an empty body.
 */
export async function reportAndNext(
  deps: CommandQueueDeps,
  enrollmentId: string,
  raw: string | CommandReport,
): Promise<NextCommand | undefined> {
  const report = typeof raw === 'string' ? parseCommandReport(raw) : raw
  const now = deps.clock.now().getTime()
  const next = await withEnrollmentLock(deps, enrollmentId, async (trx) => {
    await storeReport(deps, trx, enrollmentId, report, now)
    return takeNext(deps, trx, enrollmentId, report.status === 'NotNow', now)
  })
  deps.log.debug(
    {
      enrollmentId,
      status: report.status,
      commandUuid: report.commandUuid,
      next: next?.commandUuid,
    },
    'MDM command report',
  )
  return next
}

/** Stores a report without picking a next command. */
export async function report(
  deps: CommandQueueDeps,
  enrollmentId: string,
  raw: string | CommandReport,
): Promise<void> {
  const parsed = typeof raw === 'string' ? parseCommandReport(raw) : raw
  const now = deps.clock.now().getTime()
  await withEnrollmentLock(deps, enrollmentId, (trx) =>
    storeReport(deps, trx, enrollmentId, parsed, now),
  )
}

/** The next command for an enrollment without storing anything but its delivery. */
export async function next(
  deps: CommandQueueDeps,
  enrollmentId: string,
  skipNotNow = false,
): Promise<NextCommand | undefined> {
  const now = deps.clock.now().getTime()
  return withEnrollmentLock(deps, enrollmentId, (trx) =>
    takeNext(deps, trx, enrollmentId, skipNotNow, now),
  )
}

/**
 * Inactivates what is still pending for every channel of a device (Authenticate: the device was
 * reset or re-enrolled, its old queue no longer applies). Pass the check-in's transaction.
 */
export async function clearQueue(db: Db, deviceId: string): Promise<number> {
  return queue.deactivatePending(db, deviceId)
}
