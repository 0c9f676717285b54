import type { Db } from '../../db/database.js'
import { lowerContains } from '../../platform/db/index.js'
import type { TeamScope } from './live-queries.store.js'

/** A label a target picker offers, with the number of the caller's hosts in it. */
export interface LabelTarget {
  id: number
  name: string
  description: string
  labelType: string
  membershipType: string
  platform: string
  hostCount: number
}

/** A team a target picker offers, with its host count. */
export interface TeamTarget {
  id: number
  name: string
  description: string
  hostCount: number
}

interface Search {
  text: string
  scope: TeamScope
  excludedIds: readonly number[]
  limit: number
}

/** Hosts in scope: every host, or those on the scope's teams. */
function scopedHosts(db: Db, scope: TeamScope) {
  const query = db.selectFrom('hosts')
  if (scope === 'all') {
    return query
  }
  return query.where('hosts.team_id', 'in', scope.length > 0 ? [...scope] : [-1])
}

/**
 * Labels whose name contains `text` (reads the labels tables), by name, minus `excludedIds`, each
 * with how many hosts of `scope` it holds ("All Hosts": every host in scope).
 */
export async function searchLabelTargets(db: Db, search: Search): Promise<LabelTarget[]> {
  let query = db
    .selectFrom('labels')
    .select(['id', 'name', 'description', 'label_type', 'label_membership_type', 'platform'])
  if (search.text !== '') {
    query = query.where((eb) => lowerContains(eb.ref('name'), search.text))
  }
  if (search.excludedIds.length > 0) {
    query = query.where('id', 'not in', [...search.excludedIds])
  }
  const rows = await query.orderBy('name').limit(search.limit).execute()
  if (rows.length === 0) {
    return []
  }
  const counts = await scopedHosts(db, search.scope)
    .innerJoin('label_membership', 'label_membership.host_id', 'hosts.id')
    .select(['label_membership.label_id as id', (eb) => eb.fn.countAll<number>().as('count')])
    .where(
      'label_membership.label_id',
      'in',
      rows.map((r) => r.id),
    )
    .groupBy('label_membership.label_id')
    .execute()
  const byLabel = new Map(counts.map((c) => [c.id, Number(c.count)]))
  const everyHost = rows.some((r) => r.label_type === 'builtin' && r.name === 'All Hosts')
    ? await countHosts(db, search.scope)
    : 0
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    labelType: r.label_type,
    membershipType: r.label_membership_type,
    platform: r.platform,
    hostCount:
      r.label_type === 'builtin' && r.name === 'All Hosts' ? everyHost : (byLabel.get(r.id) ?? 0),
  }))
}

/**
 * Teams of `scope` whose name contains `text` (reads the teams and hosts tables), by name, minus
 * `excludedIds`, each with its host count.
 */
export async function searchTeamTargets(db: Db, search: Search): Promise<TeamTarget[]> {
  let query = db.selectFrom('teams').select(['id', 'name', 'description'])
  if (search.text !== '') {
    query = query.where((eb) => lowerContains(eb.ref('name'), search.text))
  }
  if (search.scope !== 'all') {
    query = query.where('id', 'in', search.scope.length > 0 ? [...search.scope] : [-1])
  }
  if (search.excludedIds.length > 0) {
    query = query.where('id', 'not in', [...search.excludedIds])
  }
  const rows = await query.orderBy('name').limit(search.limit).execute()
  if (rows.length === 0) {
    return []
  }
  const counts = await db
    .selectFrom('hosts')
    .select(['team_id', (eb) => eb.fn.countAll<number>().as('count')])
    .where(
      'team_id',
      'in',
      rows.map((r) => r.id),
    )
    .groupBy('team_id')
    .execute()
  const byTeam = new Map(counts.map((c) => [c.team_id, Number(c.count)]))
  return rows.map((r) => ({ ...r, hostCount: byTeam.get(r.id) ?? 0 }))
}

async function countHosts(db: Db, scope: TeamScope): Promise<number> {
  const row = await scopedHosts(db, scope)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirst()
  return Number(row?.count ?? 0)
}
