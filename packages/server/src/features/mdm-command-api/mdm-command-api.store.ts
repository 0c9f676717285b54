import type { Db } from '../../db/database.js'
import { chunked } from '../../platform/db/index.js'

/** A host a command targets, and its device channel when it can take MDM commands now. */
export interface TargetHost {
  uuid: string
  teamId: number | null
  /** The enabled device-channel enrollment of the host's Apple device, if any. */
  enrollmentId: string | null
}

/**
 * The device of a host: the one check-in linked to it (`mdm_apple_devices.host_id`, e.g. matched
 * by serial), else the one whose UDID is the host's UUID (a Mac's hardware UUID, as osquery
 * reports it).
 */
export async function findTargetHosts(db: Db, uuids: readonly string[]): Promise<TargetHost[]> {
  const hosts: TargetHost[] = []
  for (const chunk of chunked([...new Set(uuids)])) {
    const rows = await db
      .selectFrom('hosts as h')
      .leftJoin('mdm_apple_devices as d', 'd.host_id', 'h.id')
      .leftJoin('mdm_enrollments as e', (join) =>
        join
          .on((eb) =>
            eb.or([
              eb('e.id', '=', eb.ref('d.id')),
              eb.and([eb('d.id', 'is', null), eb('e.id', '=', eb.ref('h.uuid'))]),
            ]),
          )
          .on('e.user_id', 'is', null)
          .on('e.enabled', '=', 1),
      )
      .select(['h.uuid', 'h.team_id', 'e.id as enrollment_id'])
      .where('h.uuid', 'in', chunk)
      .execute()
    for (const row of rows) {
      const known = hosts.find((h) => h.uuid === row.uuid)
      if (!known) {
        hosts.push({ uuid: row.uuid, teamId: row.team_id, enrollmentId: row.enrollment_id })
      } else if (known.enrollmentId === null) {
        known.enrollmentId = row.enrollment_id
      }
    }
  }
  return hosts
}

/** Device answers each `command_status` filter value stands for (null: no answer yet). */
export const STATUS_FILTER_VALUES: Record<string, readonly (string | null)[]> = {
  pending: [null, 'NotNow'],
  ran: ['Acknowledged'],
  failed: ['Error', 'CommandFormatError'],
}

export interface CommandListFilter {
  /** Host teams to include (null in it: no team); undefined: every host. */
  teams: readonly (number | null)[] | undefined
  hostIdentifier?: string | undefined
  requestType?: string | undefined
  statuses?: readonly (string | null)[] | undefined
  orderKey: 'updated_at' | 'command_uuid' | 'request_type' | 'status'
  direction: 'asc' | 'desc'
  offset: number
  limit: number | undefined
}

/** One command queued for one host, with the host's latest answer. */
export interface HostCommandRow {
  hostUuid: string
  hostname: string
  teamId: number | null
  commandUuid: string
  requestType: string
  status: string | null
  updatedAt: number
}

/** Queue rows of device channels with host, command and answer (user channels left out). */
function commandsQuery(db: Db) {
  return (
    db
      .selectFrom('mdm_enrollment_queue as q')
      .innerJoin('mdm_enrollments as e', 'e.id', 'q.enrollment_id')
      .leftJoin('mdm_apple_devices as d', 'd.id', 'e.device_id')
      // the host check-in linked the device to, else the host whose UUID is the UDID
      .innerJoin('hosts as h', (join) =>
        join.on((eb) =>
          eb.or([
            eb('h.id', '=', eb.ref('d.host_id')),
            eb.and([eb('d.host_id', 'is', null), eb('h.uuid', '=', eb.ref('e.device_id'))]),
          ]),
        ),
      )
      .innerJoin('mdm_commands as c', 'c.command_uuid', 'q.command_uuid')
      .leftJoin('mdm_command_results as r', (join) =>
        join
          .onRef('r.enrollment_id', '=', 'q.enrollment_id')
          .onRef('r.command_uuid', '=', 'q.command_uuid'),
      )
      .select((eb) => [
        'h.uuid',
        'h.hostname',
        'h.team_id',
        'c.command_uuid',
        'c.request_type',
        'r.status',
        eb.fn.coalesce('r.updated_at', 'q.created_at').as('updated_at'),
      ])
      .where('e.user_id', 'is', null)
  )
}

function toRow(row: {
  uuid: string
  hostname: string
  team_id: number | null
  command_uuid: string
  request_type: string
  status: string | null
  result?: string | null
  updated_at: unknown
}): HostCommandResult {
  return {
    hostUuid: row.uuid,
    hostname: row.hostname,
    teamId: row.team_id,
    commandUuid: row.command_uuid,
    requestType: row.request_type,
    status: row.status,
    result: row.result ?? '',
    updatedAt: Number(row.updated_at),
  }
}

/** Commands per host, newest first by default; one row per (device enrollment, command). */
export async function listHostCommands(
  db: Db,
  filter: CommandListFilter,
): Promise<HostCommandRow[]> {
  const { teams, statuses } = filter
  let query = commandsQuery(db)
  if (teams !== undefined) {
    const ids = teams.filter((t): t is number => t !== null)
    query = query.where((eb) =>
      eb.or([
        ...(ids.length > 0 ? [eb('h.team_id', 'in', ids)] : []),
        ...(teams.includes(null) ? [eb('h.team_id', 'is', null)] : []),
        eb.lit(false),
      ]),
    )
  }
  if (filter.hostIdentifier) {
    const id = filter.hostIdentifier
    query = query.where((eb) =>
      eb.or([eb('h.hostname', '=', id), eb('h.uuid', '=', id), eb('h.hardware_serial', '=', id)]),
    )
  }
  if (filter.requestType) {
    query = query.where('c.request_type', '=', filter.requestType)
  }
  if (statuses !== undefined) {
    const named = statuses.filter((s): s is string => s !== null)
    query = query.where((eb) =>
      eb.or([
        ...(named.length > 0 ? [eb('r.status', 'in', named)] : []),
        ...(statuses.includes(null) ? [eb('r.status', 'is', null)] : []),
        eb.lit(false),
      ]),
    )
  }
  const column = {
    updated_at: 'updated_at',
    command_uuid: 'c.command_uuid',
    request_type: 'c.request_type',
    status: 'r.status',
  } as const
  query = query.orderBy(column[filter.orderKey], filter.direction).orderBy('q.id', filter.direction)
  // OFFSET needs a LIMIT on SQLite and MySQL; without a limit the offset is 0 (listLimits).
  if (filter.limit !== undefined) {
    query = query.limit(filter.limit).offset(filter.offset)
  }
  return (await query.execute()).map(toRow)
}

export interface StoredCommand {
  commandUuid: string
  requestType: string
  plist: string
}

export async function findCommand(db: Db, commandUuid: string): Promise<StoredCommand | undefined> {
  const row = await db
    .selectFrom('mdm_commands')
    .select(['command_uuid', 'request_type', 'command'])
    .where('command_uuid', '=', commandUuid)
    .executeTakeFirst()
  return row && { commandUuid: row.command_uuid, requestType: row.request_type, plist: row.command }
}

/** A host's queue row for one command with its answer (result '' while none). */
export interface HostCommandResult extends HostCommandRow {
  result: string
}

export async function listCommandResults(
  db: Db,
  commandUuid: string,
): Promise<HostCommandResult[]> {
  const rows = await commandsQuery(db)
    .select('r.result')
    .where('q.command_uuid', '=', commandUuid)
    .orderBy('h.uuid')
    .execute()
  return rows.map(toRow)
}
