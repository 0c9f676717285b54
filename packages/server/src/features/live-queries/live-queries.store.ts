import type { Selectable } from 'kysely'
import type { Db } from '../../db/database.js'
import { chunked, insertReturningId } from '../../platform/db/index.js'
import { displayName } from '../hosts/index.js'
import {
  CampaignStatus,
  decodeHostIds,
  encodeHostIds,
  type Campaign,
  type TargetHost,
} from './live-query.js'
import type { LiveQueryCampaignsTable } from './live-queries.table.js'

function toCampaign(row: Selectable<LiveQueryCampaignsTable>): Campaign {
  return {
    id: row.id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    queryId: row.query_id,
    queryName: row.query_name,
    sql: row.query_sql,
    status: row.status,
    userId: row.user_id,
    hostIds: decodeHostIds(row.host_ids),
  }
}

export async function insertCampaign(db: Db, campaign: Omit<Campaign, 'id'>): Promise<number> {
  return insertReturningId(
    db,
    db.insertInto('live_query_campaigns').values({
      created_at: campaign.createdAt,
      updated_at: campaign.updatedAt,
      query_id: campaign.queryId,
      query_name: campaign.queryName,
      query_sql: campaign.sql,
      status: campaign.status,
      user_id: campaign.userId,
      host_count: campaign.hostIds.length,
      host_ids: encodeHostIds(campaign.hostIds),
    }),
  )
}

export async function findCampaign(db: Db, id: number): Promise<Campaign | undefined> {
  const row = await db
    .selectFrom('live_query_campaigns')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()
  return row && toCampaign(row)
}

/** Campaigns not finished (an instance that starts takes these up). */
export async function unfinishedCampaigns(db: Db): Promise<Campaign[]> {
  const rows = await db
    .selectFrom('live_query_campaigns')
    .selectAll()
    .where('status', '<>', CampaignStatus.finished)
    .orderBy('id')
    .execute()
  return rows.map(toCampaign)
}

/** waiting → running; true if this call changed it. */
export async function markRunning(db: Db, id: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('live_query_campaigns')
    .set({ status: CampaignStatus.running, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', CampaignStatus.waiting)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** → finished; true if this call changed it (several instances may try at once). */
export async function finishCampaign(db: Db, id: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('live_query_campaigns')
    .set({ status: CampaignStatus.finished, updated_at: now })
    .where('id', '=', id)
    .where('status', '<>', CampaignStatus.finished)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Labels by id, for targeting (reads the labels table). Unknown ids are absent. */
export async function labelsByIds(
  db: Db,
  ids: readonly number[],
): Promise<{ id: number; name: string; builtin: boolean }[]> {
  if (ids.length === 0) {
    return []
  }
  const rows = await db
    .selectFrom('labels')
    .select(['id', 'name', 'label_type'])
    .where('id', 'in', [...ids])
    .execute()
  return rows.map((r) => ({ id: r.id, name: r.name, builtin: r.label_type === 'builtin' }))
}

/** Label ids by exact name (reads the labels table). Unknown names are absent from the map. */
export async function labelIdsByNames(
  db: Db,
  names: readonly string[],
): Promise<Map<string, number>> {
  const found = new Map<string, number>()
  for (const chunk of chunked(names)) {
    const rows = await db
      .selectFrom('labels')
      .select(['id', 'name'])
      .where('name', 'in', chunk)
      .execute()
    for (const row of rows) {
      found.set(row.name, row.id)
    }
  }
  return found
}

/** `'all'`, or only hosts on these teams. */
export type TeamScope = 'all' | readonly number[]

function hostsIn(db: Db, scope: TeamScope) {
  const query = db.selectFrom('hosts').select('hosts.id')
  if (scope === 'all') {
    return query
  }
  return query.where('hosts.team_id', 'in', scope.length > 0 ? [...scope] : [-1])
}

/** Ids of hosts named by hostname, UUID, serial or osquery identifier, within scope. */
export async function hostIdsByIdentifiers(
  db: Db,
  identifiers: readonly string[],
  scope: TeamScope,
): Promise<number[]> {
  const ids = new Set<number>()
  for (const chunk of chunked(identifiers)) {
    const rows = await hostsIn(db, scope)
      .where((eb) =>
        eb.or([
          eb('hosts.hostname', 'in', chunk),
          eb('hosts.uuid', 'in', chunk),
          eb('hosts.hardware_serial', 'in', chunk),
          eb('hosts.osquery_host_id', 'in', chunk),
        ]),
      )
      .execute()
    for (const row of rows) {
      ids.add(row.id)
    }
  }
  return [...ids].sort((a, b) => a - b)
}

export interface TargetSelection {
  hostIds: readonly number[]
  labelIds: readonly number[]
  /** A selected label is the built-in "All Hosts": the label condition holds for every host. */
  allHosts: boolean
  /** `0` is "No team". */
  teamIds: readonly number[]
}

/**
 * Fleet's target resolution: the listed hosts, plus the hosts in any selected label AND on any
 * selected team (a kind not selected doesn't restrict) — all within the caller's scope.
 */
export async function resolveTargets(
  db: Db,
  selection: TargetSelection,
  scope: TeamScope,
): Promise<number[]> {
  const ids = new Set<number>()
  for (const chunk of chunked(selection.hostIds)) {
    for (const row of await hostsIn(db, scope).where('hosts.id', 'in', chunk).execute()) {
      ids.add(row.id)
    }
  }
  const { labelIds, teamIds } = selection
  if (labelIds.length > 0 || teamIds.length > 0) {
    let query = hostsIn(db, scope)
    if (labelIds.length > 0 && !selection.allHosts) {
      query = query.where('hosts.id', 'in', (eb) =>
        eb
          .selectFrom('label_membership')
          .select('label_membership.host_id')
          .where('label_membership.label_id', 'in', [...labelIds]),
      )
    }
    if (teamIds.length > 0) {
      const teams = teamIds.filter((id) => id > 0)
      const noTeam = teamIds.includes(0)
      query = query.where((eb) =>
        eb.or([
          ...(teams.length > 0 ? [eb('hosts.team_id', 'in', teams)] : []),
          ...(noTeam ? [eb('hosts.team_id', 'is', null)] : []),
        ]),
      )
    }
    for (const row of await query.execute()) {
      ids.add(row.id)
    }
  }
  return [...ids].sort((a, b) => a - b)
}

const TARGET_COLUMNS = [
  'hosts.id',
  'hosts.hostname',
  'hosts.computer_name',
  'hosts.seen_time',
  'hosts.distributed_interval',
  'hosts.config_tls_refresh',
  'hosts.created_at',
  'hosts.team_id',
] as const

function toTargetHost(row: {
  id: number
  hostname: string
  computer_name: string
  seen_time: number
  distributed_interval: number
  config_tls_refresh: number
  created_at: number
}): TargetHost {
  return {
    id: row.id,
    hostname: row.hostname,
    displayName: displayName({ hostname: row.hostname, computerName: row.computer_name }),
    seenTime: row.seen_time,
    distributedInterval: row.distributed_interval,
    configTlsRefresh: row.config_tls_refresh,
    createdAt: row.created_at,
  }
}

/** Names and check-in state of target hosts (reads the hosts table); deleted hosts are absent. */
export async function targetHosts(db: Db, ids: readonly number[]): Promise<TargetHost[]> {
  const hosts: TargetHost[] = []
  for (const chunk of chunked(ids)) {
    const rows = await db
      .selectFrom('hosts')
      .select(TARGET_COLUMNS)
      .where('hosts.id', 'in', chunk)
      .execute()
    hosts.push(...rows.map(toTargetHost))
  }
  return hosts
}

/** One host by id or by identifier (hostname, UUID, serial, osquery identifier), with its team. */
export async function findTargetHost(
  db: Db,
  ref: { id: number } | { identifier: string },
): Promise<(TargetHost & { teamId: number | null }) | undefined> {
  let query = db.selectFrom('hosts').select(TARGET_COLUMNS)
  if ('id' in ref) {
    query = query.where('hosts.id', '=', ref.id)
  } else {
    const { identifier } = ref
    query = query.where((eb) =>
      eb.or([
        eb('hosts.hostname', '=', identifier),
        eb('hosts.uuid', '=', identifier),
        eb('hosts.hardware_serial', '=', identifier),
        eb('hosts.osquery_host_id', '=', identifier),
      ]),
    )
  }
  const row = await query.orderBy('hosts.id').executeTakeFirst()
  return row && { ...toTargetHost(row), teamId: row.team_id }
}
