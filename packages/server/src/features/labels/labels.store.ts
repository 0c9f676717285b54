import type { Selectable } from 'kysely'
import type { Db } from '../../db/database.js'
import { insertReturningId, lowerContains, withPage } from '../../platform/db/index.js'
import type { Label, LabelQuery } from './label.js'
import type { LabelsTable } from './labels.table.js'

function toLabel(row: Selectable<LabelsTable>): Label {
  return {
    id: row.id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    name: row.name,
    description: row.description,
    query: row.query,
    platform: row.platform,
    labelType: row.label_type === 'builtin' ? 'builtin' : 'regular',
    membershipType: row.label_membership_type === 'manual' ? 'manual' : 'dynamic',
  }
}

export async function findLabel(db: Db, id: number): Promise<Label | undefined> {
  const row = await db.selectFrom('labels').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toLabel(row)
}

export async function findLabelByName(db: Db, name: string): Promise<Label | undefined> {
  const row = await db.selectFrom('labels').selectAll().where('name', '=', name).executeTakeFirst()
  return row && toLabel(row)
}

export async function listLabels(
  db: Db,
  options: { query?: string; offset: number; limit?: number; direction: 'asc' | 'desc' } = {
    offset: 0,
    direction: 'asc',
  },
): Promise<Label[]> {
  let query = db.selectFrom('labels').selectAll()
  if (options.query) {
    const text = options.query
    query = query.where((eb) => lowerContains(eb.ref('name'), text))
  }
  query = query.orderBy('id', options.direction)
  query = withPage(query, options)
  return (await query.execute()).map(toLabel)
}

/** Every dynamic label's query (the check-in path keeps these in memory). */
export async function dynamicLabelQueries(db: Db): Promise<LabelQuery[]> {
  const rows = await db
    .selectFrom('labels')
    .select(['id', 'query', 'platform', 'updated_at'])
    .where('label_membership_type', '=', 'dynamic')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    query: r.query,
    platform: r.platform,
    updatedAt: r.updated_at,
  }))
}

export async function insertLabel(
  db: Db,
  label: Omit<Label, 'id' | 'createdAt' | 'updatedAt'>,
  now: number,
): Promise<number> {
  return insertReturningId(
    db,
    db.insertInto('labels').values({
      created_at: now,
      updated_at: now,
      name: label.name,
      description: label.description,
      query: label.query,
      platform: label.platform,
      label_type: label.labelType,
      label_membership_type: label.membershipType,
    }),
  )
}

export async function updateLabel(
  db: Db,
  id: number,
  changes: { name?: string; description?: string; query?: string; platform?: string },
  now: number,
): Promise<void> {
  await db
    .updateTable('labels')
    .set({
      updated_at: now,
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.description !== undefined && { description: changes.description }),
      ...(changes.query !== undefined && { query: changes.query }),
      ...(changes.platform !== undefined && { platform: changes.platform }),
    })
    .where('id', '=', id)
    .execute()
}

export async function deleteLabel(db: Db, id: number): Promise<void> {
  await db.deleteFrom('labels').where('id', '=', id).execute()
}

/**
 * Memberships of the hosts a user reads: those on `teamIds`, or every host when undefined (a
 * team user must not learn of other teams' hosts through a label).
 */
function visibleMemberships(db: Db, teamIds: readonly number[] | undefined) {
  const query = db
    .selectFrom('label_membership')
    .innerJoin('hosts', 'hosts.id', 'label_membership.host_id')
  return teamIds === undefined
    ? query
    : query.where('hosts.team_id', 'in', teamIds.length > 0 ? [...teamIds] : [-1])
}

/** Member counts per label, among the hosts on `teamIds` (undefined: every host). */
export async function hostCounts(
  db: Db,
  labelIds: readonly number[],
  teamIds?: readonly number[],
): Promise<Map<number, number>> {
  if (labelIds.length === 0) {
    return new Map()
  }
  const rows = await visibleMemberships(db, teamIds)
    .select(['label_membership.label_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('label_membership.label_id', 'in', [...labelIds])
    .groupBy('label_membership.label_id')
    .execute()
  return new Map(rows.map((r) => [r.label_id, Number(r.n)]))
}

/** A label's member host ids, among the hosts on `teamIds` (undefined: every host). */
export async function memberIds(
  db: Db,
  labelId: number,
  teamIds?: readonly number[],
): Promise<number[]> {
  const rows = await visibleMemberships(db, teamIds)
    .select('label_membership.host_id')
    .where('label_membership.label_id', '=', labelId)
    .orderBy('label_membership.host_id')
    .execute()
  return rows.map((r) => r.host_id)
}

/** Makes a manual label's members exactly `hostIds`. */
export async function setMembers(
  db: Db,
  labelId: number,
  hostIds: readonly number[],
  now: number,
): Promise<void> {
  await db.deleteFrom('label_membership').where('label_id', '=', labelId).execute()
  const unique = [...new Set(hostIds)]
  for (let i = 0; i < unique.length; i += 500) {
    await db
      .insertInto('label_membership')
      .values(
        unique
          .slice(i, i + 500)
          .map((hostId) => ({ label_id: labelId, host_id: hostId, updated_at: now })),
      )
      .execute()
  }
}

/**
 * Records one host's results for some dynamic labels: joins those it matched, leaves those it
 * didn't. Labels missing from both sets (failed queries) keep their current membership.
 */
export async function recordHostMembership(
  db: Db,
  hostId: number,
  matched: readonly number[],
  unmatched: readonly number[],
  now: number,
): Promise<void> {
  const changed = [...matched, ...unmatched]
  if (changed.length === 0) {
    return
  }
  await db
    .deleteFrom('label_membership')
    .where('host_id', '=', hostId)
    .where('label_id', 'in', changed)
    .execute()
  if (matched.length > 0) {
    await db
      .insertInto('label_membership')
      .values(matched.map((labelId) => ({ label_id: labelId, host_id: hostId, updated_at: now })))
      .execute()
  }
}

/** Ids of labels (among `ids`) that still exist and are dynamic. */
export async function existingDynamicLabelIds(
  db: Db,
  ids: readonly number[],
): Promise<Set<number>> {
  if (ids.length === 0) {
    return new Set()
  }
  const rows = await db
    .selectFrom('labels')
    .select('id')
    .where('id', 'in', [...ids])
    .where('label_membership_type', '=', 'dynamic')
    .execute()
  return new Set(rows.map((r) => r.id))
}

/** Host ids for identifiers (hostname, UUID, serial) — reads the hosts table. Unknown ones are listed. */
export async function resolveHosts(
  db: Db,
  identifiers: readonly string[],
): Promise<{ ids: number[]; unknown: string[] }> {
  const ids: number[] = []
  const unknown: string[] = []
  for (let i = 0; i < identifiers.length; i += 500) {
    const chunk = identifiers.slice(i, i + 500)
    const rows = await db
      .selectFrom('hosts')
      .select(['id', 'hostname', 'uuid', 'hardware_serial'])
      .where((eb) =>
        eb.or([
          eb('hostname', 'in', chunk),
          eb('uuid', 'in', chunk),
          eb('hardware_serial', 'in', chunk),
        ]),
      )
      .execute()
    for (const identifier of chunk) {
      const row = rows.find(
        (r) =>
          r.hostname === identifier || r.uuid === identifier || r.hardware_serial === identifier,
      )
      if (row) {
        ids.push(row.id)
      } else {
        unknown.push(identifier)
      }
    }
  }
  return { ids, unknown }
}

/** Which of `ids` are hosts (reads the hosts table). */
export async function existingHostIds(db: Db, ids: readonly number[]): Promise<Set<number>> {
  const found = new Set<number>()
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db
      .selectFrom('hosts')
      .select('id')
      .where('id', 'in', ids.slice(i, i + 1000))
      .execute()
    for (const row of rows) {
      found.add(row.id)
    }
  }
  return found
}

/** Hostnames of a label's members (reads the hosts table). */
/** A label's member hostnames, among the hosts on `teamIds` (undefined: every host). */
export async function memberHostnames(
  db: Db,
  labelId: number,
  teamIds?: readonly number[],
): Promise<string[]> {
  const rows = await visibleMemberships(db, teamIds)
    .select('hosts.hostname')
    .where('label_membership.label_id', '=', labelId)
    .orderBy('hosts.hostname')
    .execute()
  return rows.map((r) => r.hostname)
}

/** The labels a host belongs to, by name. */
export async function labelsOfHost(db: Db, hostId: number): Promise<Label[]> {
  const rows = await db
    .selectFrom('labels')
    .selectAll('labels')
    .innerJoin('label_membership', 'label_membership.label_id', 'labels.id')
    .where('label_membership.host_id', '=', hostId)
    .orderBy('labels.name')
    .execute()
  return rows.map(toLabel)
}

/** Fleet's built-in labels, by id (the host summary lists them). */
export async function builtinLabels(db: Db): Promise<Label[]> {
  const rows = await db
    .selectFrom('labels')
    .selectAll()
    .where('label_type', '=', 'builtin')
    .orderBy('id')
    .execute()
  return rows.map(toLabel)
}
