import type { OsSettingsStatus } from '@fleet/api'
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import type { Database, Db } from '../../db/database.js'
import { chunked, dialectOf, withPage } from '../../platform/db/index.js'
import { hostSearchCondition } from './host-list-search.js'
import {
  MISSING_AFTER_MS,
  NEW_WITHIN_MS,
  ONLINE_GRACE_SECONDS,
  type Host,
  type HostStatus,
} from './host.js'
import { refreshColumns, toHost } from './hosts.store.js'
import { osSettingsCondition, profileStatusCondition } from './host-list-os-settings.js'

/** Host listing: the filters Fleet's host endpoints share, as SQL. */

export const HOST_ORDER_KEYS = [
  'id',
  'hostname',
  'computer_name',
  'display_name',
  'seen_time',
  'created_at',
  'updated_at',
  'detail_updated_at',
  'platform',
  'os_version',
  'osquery_version',
  'primary_ip',
  'hardware_serial',
  'memory',
  'uptime',
  'team_id',
] as const
export type HostOrderKey = (typeof HOST_ORDER_KEYS)[number]

export interface HostFilter {
  now: number
  query?: string
  /** A team id; 0 or null for hosts on no team. */
  teamId?: number | null
  /** Only hosts on these teams (a team user's view); undefined = all. */
  visibleTeamIds?: readonly number[]
  status?: HostStatus
  ids?: readonly number[]
  /** Hosts left out (a target picker's current selection). */
  excludedIds?: readonly number[]
  /** Only members of this label (reads the labels' membership table). */
  labelId?: number
  /**
   * Only hosts whose latest result for this policy passes or fails, among hosts the policy applies
   * to (reads the policies' results table).
   */
  policy?: { id: number; passes: boolean }
  /**
   * Hosts with less than (`below`) or at most (`atMost`) this many GB available; hosts that never
   * reported their disk (total 0) are left out, as Fleet leaves out hosts without a disk row.
   */
  diskSpace?: { below: number } | { atMost: number }
  /** Hosts whose OS text (`os_version`, e.g. "Ubuntu 22.04.3 LTS") is exactly this. */
  osVersion?: string
  /** Fleet's `mdm_enrollment_status` (reads the MDM check-in's devices). */
  mdmEnrollment?: 'manual' | 'automatic' | 'enrolled' | 'unenrolled' | 'pending'
  /** Worst OS settings status (reads the hosts' profile rows; host-list-os-settings.ts). */
  osSettings?: OsSettingsStatus
  /** One profile's status on the host. */
  profile?: { uuid: string; status: OsSettingsStatus }
}

type HostsExpression = ExpressionBuilder<Database, 'hosts'>

/** seen_time + (min(distributed_interval, config_tls_refresh) + grace) seconds ≥ now (Fleet's LEAST) */
function onlineCondition(eb: HostsExpression, now: number): Expression<SqlBool> {
  return sql<SqlBool>`${eb.ref('hosts.seen_time')} + ((CASE WHEN ${eb.ref('hosts.distributed_interval')} < ${eb.ref('hosts.config_tls_refresh')} THEN ${eb.ref('hosts.distributed_interval')} ELSE ${eb.ref('hosts.config_tls_refresh')} END) + ${ONLINE_GRACE_SECONDS}) * 1000 >= ${now}`
}

/**
 * A host is MDM-enrolled while an Apple device bound to it is; automatically when ABM (still)
 * lists it for this server, manually otherwise; pending while ABM lists it and it has not enrolled.
 */
function mdmEnrollmentCondition(
  eb: HostsExpression,
  status: HostFilter['mdmEnrollment'],
): Expression<SqlBool> {
  const enrolled = eb.exists(
    eb
      .selectFrom('mdm_apple_devices')
      .select('mdm_apple_devices.id')
      .whereRef('mdm_apple_devices.host_id', '=', 'hosts.id')
      .where('mdm_apple_devices.enrolled_at', 'is not', null),
  )
  const inAbm = eb.exists(
    eb
      .selectFrom('mdm_abm_devices')
      .select('mdm_abm_devices.serial_number')
      .whereRef('mdm_abm_devices.host_id', '=', 'hosts.id')
      .where('mdm_abm_devices.removed_at', 'is', null),
  )
  switch (status) {
    case 'enrolled':
      return enrolled
    case 'manual':
      return eb.and([enrolled, eb.not(inAbm)])
    case 'automatic':
      return eb.and([enrolled, inAbm])
    case 'pending':
      return eb.and([eb.not(enrolled), inAbm])
    case 'unenrolled':
      return eb.and([eb.not(enrolled), eb.not(inAbm)])
    case undefined:
      return sql<SqlBool>`1 = 0`
  }
}

function filtered(db: Db, filter: HostFilter) {
  let query = db.selectFrom('hosts')
  if (filter.visibleTeamIds !== undefined) {
    query = query.where(
      'hosts.team_id',
      'in',
      filter.visibleTeamIds.length > 0 ? [...filter.visibleTeamIds] : [-1],
    )
  }
  if (filter.teamId === 0 || filter.teamId === null) {
    query = query.where('hosts.team_id', 'is', null)
  } else if (filter.teamId !== undefined) {
    query = query.where('hosts.team_id', '=', filter.teamId)
  }
  if (filter.ids !== undefined) {
    query = query.where('hosts.id', 'in', filter.ids.length > 0 ? [...filter.ids] : [-1])
  }
  if (filter.excludedIds !== undefined && filter.excludedIds.length > 0) {
    query = query.where('hosts.id', 'not in', [...filter.excludedIds])
  }
  if (filter.labelId !== undefined) {
    const labelId = filter.labelId
    query = query.where('hosts.id', 'in', (eb) =>
      eb
        .selectFrom('label_membership')
        .select('label_membership.host_id')
        .where('label_membership.label_id', '=', labelId),
    )
  }
  if (filter.policy !== undefined) {
    const { id, passes } = filter.policy
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('policy_membership')
          .innerJoin('policies', 'policies.id', 'policy_membership.policy_id')
          .select('policy_membership.host_id')
          .where('policy_membership.policy_id', '=', id)
          .whereRef('policy_membership.host_id', '=', 'hosts.id')
          .where('policy_membership.passes', '=', passes ? 1 : 0)
          .where((inner) =>
            inner.or([
              inner('policies.team_id', 'is', null),
              inner('policies.team_id', '=', inner.ref('hosts.team_id')),
            ]),
          ),
      ),
    )
  }
  if (filter.diskSpace !== undefined) {
    const space = filter.diskSpace
    query = query
      .where('hosts.gigs_total_disk_space', '>', 0)
      .where(
        'hosts.gigs_disk_space_available',
        'below' in space ? '<' : '<=',
        'below' in space ? space.below : space.atMost,
      )
  }
  if (filter.mdmEnrollment !== undefined) {
    query = query.where((eb) => mdmEnrollmentCondition(eb, filter.mdmEnrollment))
  }
  if (filter.osSettings !== undefined) {
    query = query.where(osSettingsCondition(filter.osSettings))
  }
  if (filter.profile !== undefined) {
    query = query.where(profileStatusCondition(filter.profile.uuid, filter.profile.status))
  }
  if (filter.osVersion !== undefined) {
    query = query.where('hosts.os_version', '=', filter.osVersion)
  }
  if (filter.query) {
    const text = filter.query
    const dialect = dialectOf(db)
    query = query.where((eb) => hostSearchCondition(eb, dialect, text))
  }
  const { now } = filter
  switch (filter.status) {
    case undefined:
      break
    case 'online':
      query = query.where((eb) => onlineCondition(eb, now))
      break
    case 'offline': // missing hosts are offline too (Fleet 4.15 on)
      query = query.where((eb) => eb.not(onlineCondition(eb, now)))
      break
    case 'missing':
      query = query.where('hosts.seen_time', '<', now - MISSING_AFTER_MS)
      break
    case 'new':
      query = query.where('hosts.created_at', '>=', now - NEW_WITHIN_MS)
      break
  }
  return query
}

export interface HostPage {
  orderKey: HostOrderKey
  direction: 'asc' | 'desc'
  offset: number
  limit?: number
  /** Keyset paging: only hosts whose order column is past this value in `direction`. */
  after?: string | number
}

/**
 * Fleet's display name in SQL (the computer name if set, else the hostname), lower-cased so every
 * dialect orders it as MySQL's case-insensitive collation does. Written exactly as the
 * `hosts_display_name` index is, so SQLite and PostgreSQL read pages from it.
 */
const DISPLAY_NAME = sql<string>`LOWER(COALESCE(NULLIF(hosts.computer_name, ''), hosts.hostname))`

/** The expression a page is ordered by (and `after` compared with). */
function orderExpression(key: HostOrderKey, dialect: ReturnType<typeof dialectOf>) {
  switch (key) {
    case 'display_name':
      // MySQL has no expression indexes: an indexed virtual column holds DISPLAY_NAME there.
      return dialect === 'mysql' ? sql.ref('hosts.display_name_key') : DISPLAY_NAME
    case 'uptime':
      return sql.ref('hosts.uptime_seconds')
    default:
      return sql.ref(`hosts.${key}`)
  }
}

/**
 * The hosts among `ids` that `filter` lets through, by id: a bulk action's hosts, read in chunks so
 * a select-all over every host stays within each database's limit on bound parameters.
 */
export async function listHostsByIds(
  db: Db,
  filter: Omit<HostFilter, 'ids'>,
  ids: readonly number[],
): Promise<Host[]> {
  const hosts: Host[] = []
  for (const chunk of chunked(ids)) {
    const page = { orderKey: 'id', direction: 'asc', offset: 0, limit: chunk.length } as const
    hosts.push(...(await listHosts(db, { ...filter, ids: chunk }, page)))
  }
  return hosts
}

export async function listHosts(db: Db, filter: HostFilter, page: HostPage): Promise<Host[]> {
  const dialect = dialectOf(db)
  const order = orderExpression(page.orderKey, dialect)
  let query = filtered(db, filter)
  if (page.after !== undefined) {
    const after = page.orderKey === 'display_name' ? String(page.after).toLowerCase() : page.after
    query = query.where(order, page.direction === 'desc' ? '<' : '>', after)
  }
  if (dialect === 'mysql' && page.limit !== undefined) {
    return listPageByIds(db, query, page, order)
  }
  const rows = await withPage(
    query
      .selectAll('hosts')
      .select(refreshColumns)
      .orderBy(order, page.direction)
      .orderBy('hosts.id', page.direction),
    page,
  ).execute()
  return rows.map(toHost)
}

/**
 * MySQL's page as a deferred join: the page's ids first (ordered and cut from the filtered hosts
 * alone), then whole rows and refresh times for those ids only. When a filter's table drives the
 * plan (a label's 10,000 members of 100,000 hosts), MariaDB otherwise sorts every matching row
 * whole, refresh subqueries evaluated for each, to keep 50 (B7: p50 50 ms, p99 248 ms).
 * SQLite and PostgreSQL read such pages in index order or postpone the subqueries past the sort.
 */
async function listPageByIds(
  db: Db,
  query: ReturnType<typeof filtered>,
  page: HostPage,
  order: ReturnType<typeof orderExpression>,
): Promise<Host[]> {
  const ids = withPage(
    query.select('hosts.id').orderBy(order, page.direction).orderBy('hosts.id', page.direction),
    page,
  )
  const rows = await db
    .selectFrom('hosts')
    .innerJoin(ids.as('page'), 'page.id', 'hosts.id')
    .selectAll('hosts')
    .select(refreshColumns)
    .orderBy(order, page.direction)
    .orderBy('hosts.id', page.direction)
    .execute()
  return rows.map(toHost)
}

export async function countHosts(db: Db, filter: HostFilter): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Host ids matching a filter (bulk delete and transfer by filter). */
export async function hostIds(db: Db, filter: HostFilter): Promise<number[]> {
  const rows = await filtered(db, filter).select('hosts.id').orderBy('hosts.id').execute()
  return rows.map((r) => r.id)
}

/** Hosts per platform (host summary). */
export async function countByPlatform(
  db: Db,
  filter: HostFilter,
): Promise<{ platform: string; count: number }[]> {
  const rows = await filtered(db, filter)
    .select(['hosts.platform', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('hosts.platform')
    .orderBy('hosts.platform')
    .execute()
  return rows.map((r) => ({ platform: r.platform, count: Number(r.n) }))
}

/** Hosts per OS text and platform, most first (the dashboard's operating systems). */
export async function countByOsVersion(
  db: Db,
  filter: HostFilter,
): Promise<{ osVersion: string; platform: string; count: number }[]> {
  const rows = await filtered(db, filter)
    .select(['hosts.os_version', 'hosts.platform', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['hosts.os_version', 'hosts.platform'])
    .execute()
  return rows
    .map((r) => ({ osVersion: r.os_version, platform: r.platform, count: Number(r.n) }))
    .sort((a, b) => b.count - a.count || a.osVersion.localeCompare(b.osVersion))
}
