import { MysqlAdapter, type Kysely } from 'kysely'

/**
 * The admin's host list is a team's first page by name (`WHERE team_id = ? ORDER BY hostname, id
 * LIMIT 50`): with only `hosts_team_id` and `hosts_hostname` the database sorted the whole team or
 * walked every host by name (B7). This index reads the page in order. Imports nothing but Kysely:
 * this file must read the same for as long as it exists.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('hosts_team_id_hostname')
    .on('hosts')
    .columns(['team_id', 'hostname', 'id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const drop = db.schema.dropIndex('hosts_team_id_hostname')
  // MySQL names the table in DROP INDEX; SQLite and PostgreSQL refuse it.
  await (db.getExecutor().adapter instanceof MysqlAdapter ? drop.on('hosts') : drop).execute()
}
