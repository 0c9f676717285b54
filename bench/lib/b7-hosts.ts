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
