import { sql, type Kysely } from 'kysely'
import type { Database } from '../../packages/server/src/db/database.js'

/**
 * Generated host number `n` as B7 writes it straight into the database: `bench-host-N`, serial
 * `BENCHN`, uuid `bench-uuid-N`, an IP from N, one in three on Windows, seen over the last hour.
 */
export function b7HostRow(n: number, now: number, teamId: number | null) {
  return {
    created_at: now - n * 1000,
    updated_at: now,
    team_id: teamId,
    node_key_hash: null,
    osquery_host_id: `bench-osquery-${n}`,
    uuid: `bench-uuid-${n}`,
    hostname: `bench-host-${n}`,
    computer_name: `bench-host-${n}`,
    hardware_serial: `BENCH${n}`,
    primary_ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
    platform: n % 3 === 0 ? 'windows' : 'ubuntu',
    os_version: n % 3 === 0 ? 'Windows 11 Pro 23H2' : 'Ubuntu 22.04.3 LTS',
    gigs_disk_space_available: n % 100,
    gigs_total_disk_space: 256,
    seen_time: now - (n % 3600) * 1000,
  }
}

/**
 * Table statistics after a bulk insert, as the server's own auto-analysis would gather them
 * within a minute or so (PostgreSQL's autovacuum, InnoDB's persistent statistics): without them
 * PostgreSQL plans the 100,000 hosts as a handful and skips the search's trigram indexes, and
 * whether they exist when the measuring starts would depend on the autovacuum's timing.
 * SQLite gathers none by itself, so none here either.
 */
export async function gatherStatistics(
  db: Kysely<Database>,
  backend: 'sqlite' | 'mysql' | 'postgres',
): Promise<void> {
  if (backend === 'postgres') {
    await sql`ANALYZE`.execute(db)
  } else if (backend === 'mysql') {
    await sql`ANALYZE TABLE hosts, label_membership`.execute(db)
  }
}

/** Rows per INSERT: well under every dialect's limit on bound parameters. */
const BATCH = 500
/** Teams the hosts are spread over (one in four on none). */
const TEAMS = 4

/**
 * Inserts hosts `from`..`to`-1 (`bench-host-N`), three in four on a team (of four), and puts every tenth
 * in the label. Seen times spread over the last hour, so some are online and some not.
 */
export async function insertB7Hosts(
  db: Kysely<Database>,
  fleet: { teamIds: readonly number[]; labelId: number },
  from: number,
  to: number,
): Promise<void> {
  const now = Date.now()
  for (let start = from; start < to; start += BATCH) {
    const rows = []
    for (let n = start; n < Math.min(to, start + BATCH); n++) {
      rows.push(b7HostRow(n, now, n % TEAMS === 0 ? null : (fleet.teamIds[n % TEAMS] ?? null)))
    }
    await db.insertInto('hosts').values(rows).execute()
  }
  await db
    .insertInto('label_membership')
    .columns(['label_id', 'host_id', 'updated_at'])
    .expression(
      db
        .selectFrom('hosts')
        .select([sql.lit(fleet.labelId).as('label_id'), 'id', sql.lit(now).as('updated_at')])
        .where('osquery_host_id', 'like', 'bench-osquery-%')
        .where(sql<boolean>`id % 10 = 0`)
        .where('id', 'not in', (eb) =>
          eb.selectFrom('label_membership').select('host_id').where('label_id', '=', fleet.labelId),
        ),
    )
    .execute()
}
