import type { Db } from '../../db/database.js'
import type { EnrollSecret } from './enroll-secret.js'

type Scope = number | null

export async function listSecrets(db: Db, teamId: Scope): Promise<EnrollSecret[]> {
  const query = db.selectFrom('enroll_secrets').selectAll()
  const rows = await (
    teamId === null ? query.where('team_id', 'is', null) : query.where('team_id', '=', teamId)
  )
    .orderBy('created_at')
    .orderBy('secret')
    .execute()
  return rows.map((row) => ({ secret: row.secret, teamId: row.team_id, createdAt: row.created_at }))
}

/** Secrets of several teams at once, by team id. */
export async function secretsByTeam(
  db: Db,
  teamIds: readonly number[],
): Promise<Map<number, EnrollSecret[]>> {
  const result = new Map<number, EnrollSecret[]>()
  if (teamIds.length === 0) {
    return result
  }
  const rows = await db
    .selectFrom('enroll_secrets')
    .selectAll()
    .where('team_id', 'in', [...teamIds])
    .orderBy('created_at')
    .orderBy('secret')
    .execute()
  for (const row of rows) {
    if (row.team_id === null) {
      continue
    }
    const list = result.get(row.team_id) ?? []
    list.push({ secret: row.secret, teamId: row.team_id, createdAt: row.created_at })
    result.set(row.team_id, list)
  }
  return result
}

/** Secrets among `secrets` that belong to a different scope than `teamId`. */
export async function secretsTakenElsewhere(
  db: Db,
  teamId: Scope,
  secrets: readonly string[],
): Promise<string[]> {
  if (secrets.length === 0) {
    return []
  }
  const rows = await db
    .selectFrom('enroll_secrets')
    .select(['secret', 'team_id'])
    .where('secret', 'in', [...secrets])
    .execute()
  return rows.filter((row) => row.team_id !== teamId).map((row) => row.secret)
}

/**
 * Makes the scope's secrets exactly `secrets`: removes the others, adds the new ones, and keeps the
 * creation time of those that stay.
 */
export async function replaceSecrets(
  db: Db,
  teamId: Scope,
  secrets: readonly string[],
  now: number,
): Promise<void> {
  const existing = new Set((await listSecrets(db, teamId)).map((s) => s.secret))
  const wanted = new Set(secrets)
  const removed = [...existing].filter((s) => !wanted.has(s))
  if (removed.length > 0) {
    await db.deleteFrom('enroll_secrets').where('secret', 'in', removed).execute()
  }
  const added = [...wanted].filter((s) => !existing.has(s))
  if (added.length > 0) {
    await db
      .insertInto('enroll_secrets')
      .values(added.map((secret) => ({ secret, team_id: teamId, created_at: now })))
      .execute()
  }
}

/** The scope of a secret: its team id, null for a global secret, undefined if unknown. */
export async function findSecretTeam(db: Db, secret: string): Promise<number | null | undefined> {
  const row = await db
    .selectFrom('enroll_secrets')
    .select('team_id')
    .where('secret', '=', secret)
    .executeTakeFirst()
  return row === undefined ? undefined : row.team_id
}
