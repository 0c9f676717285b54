import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import { chunked } from '../../platform/db/index.js'
import type { CommandStatus, EncodedCommand } from './command.js'

export async function insertCommand(db: Db, command: EncodedCommand, now: number): Promise<void> {
  await db
    .insertInto('mdm_commands')
    .values({
      command_uuid: command.commandUuid,
      request_type: command.requestType,
      command: command.plist,
      created_at: now,
    })
    .execute()
}

export async function commandExists(db: Db, commandUuid: string): Promise<boolean> {
  const row = await db
    .selectFrom('mdm_commands')
    .select('command_uuid')
    .where('command_uuid', '=', commandUuid)
    .executeTakeFirst()
  return row !== undefined
}

export async function insertQueueRows(
  db: Db,
  enrollmentIds: readonly string[],
  commandUuid: string,
  priority: number,
  now: number,
): Promise<void> {
  for (const ids of chunked(enrollmentIds)) {
    await db
      .insertInto('mdm_enrollment_queue')
      .values(
        ids.map((id) => ({
          enrollment_id: id,
          command_uuid: commandUuid,
          priority,
          created_at: now,
          delivered_at: null,
        })),
      )
      .execute()
  }
}

/** A command queued for one enrollment (active or not), with its request type. */
export interface QueuedCommand {
  commandUuid: string
  requestType: string
  active: boolean
}

export async function findQueuedCommand(
  db: Db,
  enrollmentId: string,
  commandUuid: string,
): Promise<QueuedCommand | undefined> {
  const row = await db
    .selectFrom('mdm_enrollment_queue as q')
    .innerJoin('mdm_commands as c', 'c.command_uuid', 'q.command_uuid')
    .select(['q.command_uuid', 'c.request_type', 'q.active'])
    .where('q.enrollment_id', '=', enrollmentId)
    .where('q.command_uuid', '=', commandUuid)
    .executeTakeFirst()
  return (
    row && {
      commandUuid: row.command_uuid,
      requestType: row.request_type,
      active: Number(row.active) === 1,
    }
  )
}

/** The stored answer of one enrollment to one command. */
export interface StoredResult {
  status: CommandStatus | string
  result: string
  notNowAt: number | null
  notNowTally: number
  updatedAt: number
}

export async function findResult(
  db: Db,
  enrollmentId: string,
  commandUuid: string,
): Promise<StoredResult | undefined> {
  const row = await db
    .selectFrom('mdm_command_results')
    .selectAll()
    .where('enrollment_id', '=', enrollmentId)
    .where('command_uuid', '=', commandUuid)
    .executeTakeFirst()
  return (
    row && {
      status: row.status,
      result: row.result,
      notNowAt: row.not_now_at === null ? null : Number(row.not_now_at),
      notNowTally: Number(row.not_now_tally),
      updatedAt: Number(row.updated_at),
    }
  )
}

/**
 * Stores the device's latest answer (replacing an earlier NotNow) and releases the delivery lease.
 * NotNow keeps the time of the first NotNow and counts them. Callers hold the enrollment's lock.
 */
export async function saveResult(
  db: Db,
  input: { enrollmentId: string; commandUuid: string; status: CommandStatus; raw: string },
  now: number,
): Promise<void> {
  const notNow = input.status === 'NotNow'
  const existing = await findResult(db, input.enrollmentId, input.commandUuid)
  if (existing) {
    await db
      .updateTable('mdm_command_results')
      .set({
        status: input.status,
        result: input.raw,
        not_now_at: notNow ? (existing.notNowAt ?? now) : existing.notNowAt,
        not_now_tally: notNow ? sql<number>`not_now_tally + 1` : existing.notNowTally,
        updated_at: now,
      })
      .where('enrollment_id', '=', input.enrollmentId)
      .where('command_uuid', '=', input.commandUuid)
      .execute()
  } else {
    await db
      .insertInto('mdm_command_results')
      .values({
        enrollment_id: input.enrollmentId,
        command_uuid: input.commandUuid,
        status: input.status,
        result: input.raw,
        not_now_at: notNow ? now : null,
        not_now_tally: notNow ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .execute()
  }
  await setDelivered(db, input.enrollmentId, input.commandUuid, null)
}

/** The head of an enrollment's queue, as `next` sees it. */
export interface QueueHead {
  commandUuid: string
  command: string
  deliveredAt: number | null
}

/**
 * The first active command without an answer (or answered NotNow, unless `skipNotNow`), by
 * priority DESC, then queue order. Leased rows are included: the caller decides.
 */
export async function queueHead(
  db: Db,
  enrollmentId: string,
  skipNotNow: boolean,
): Promise<QueueHead | undefined> {
  const row = await db
    .selectFrom('mdm_enrollment_queue as q')
    .innerJoin('mdm_commands as c', 'c.command_uuid', 'q.command_uuid')
    .leftJoin('mdm_command_results as r', (join) =>
      join
        .onRef('r.enrollment_id', '=', 'q.enrollment_id')
        .onRef('r.command_uuid', '=', 'q.command_uuid'),
    )
    .select(['q.command_uuid', 'c.command', 'q.delivered_at'])
    .where('q.enrollment_id', '=', enrollmentId)
    .where('q.active', '=', 1)
    .where((eb) =>
      skipNotNow
        ? eb('r.status', 'is', null)
        : eb.or([eb('r.status', 'is', null), eb('r.status', '=', 'NotNow')]),
    )
    .orderBy('q.priority', 'desc')
    .orderBy('q.created_at', 'asc')
    .orderBy('q.id', 'asc')
    .limit(1)
    .executeTakeFirst()
  return (
    row && {
      commandUuid: row.command_uuid,
      command: row.command,
      deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
    }
  )
}

export async function setDelivered(
  db: Db,
  enrollmentId: string,
  commandUuid: string,
  at: number | null,
): Promise<void> {
  await db
    .updateTable('mdm_enrollment_queue')
    .set({ delivered_at: at })
    .where('enrollment_id', '=', enrollmentId)
    .where('command_uuid', '=', commandUuid)
    .execute()
}

/**
 * Inactivates the queue rows of every channel of a device that have no final answer (none yet,
 * or NotNow): a re-Authenticate starts the device afresh (nanomdm's ClearQueue).
 */
export async function deactivatePending(db: Db, deviceId: string): Promise<number> {
  const result = await db
    .updateTable('mdm_enrollment_queue')
    .set({ active: 0, delivered_at: null })
    .where('active', '=', 1)
    .where('enrollment_id', 'in', (eb) =>
      eb
        .selectFrom('mdm_enrollments')
        .select('mdm_enrollments.id')
        .where('mdm_enrollments.device_id', '=', deviceId),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('mdm_command_results as r')
            .select('r.command_uuid')
            .whereRef('r.enrollment_id', '=', 'mdm_enrollment_queue.enrollment_id')
            .whereRef('r.command_uuid', '=', 'mdm_enrollment_queue.command_uuid')
            .where('r.status', '!=', 'NotNow'),
        ),
      ),
    )
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
