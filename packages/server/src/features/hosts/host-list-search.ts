import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import type { Database } from '../../db/database.js'
import { lowerContains, type Dialect } from '../../platform/db/index.js'

/** The columns Fleet's host search matches (`hostSearchColumns` in Fleet's datastore). */
const SEARCHED = [
  'hosts.hostname',
  'hosts.computer_name',
  'hosts.hardware_serial',
  'hosts.uuid',
  'hosts.primary_ip',
] as const

/** No index finds a term shorter than one trigram; those scan. */
const TRIGRAM_LENGTH = 3

/**
 * Hosts whose hostname, computer name, serial, UUID or primary IP contains `text`, case-insensitively,
 * with `%`, `_` and `\` matched literally (`lowerContains`).
 *
 * Those `LIKE` conditions decide the result on every dialect; an index only narrows the rows they
 * are tried on (migration `20261207153000_host_search_index`):
 * - SQLite: the FTS5 trigram table `hosts_search` gives the hosts holding `text` as a phrase of
 *   trigrams in one of the five columns. Its Unicode case folding matches at least what SQLite's
 *   ASCII-only `lower()` does, so it never drops a host the `LIKE` keeps.
 * - PostgreSQL: the planner serves `lower(column) LIKE` from the pg_trgm GIN index by itself.
 * - MySQL/MariaDB: `hosts_search_trigrams` holds each host's trigrams in the hosts' collation; a
 *   host holding the term holds each of its trigrams, as that collation compares them.
 */
export function hostSearchCondition(
  eb: ExpressionBuilder<Database, 'hosts'>,
  dialect: Dialect,
  text: string,
): Expression<SqlBool> {
  const matches = eb.or(SEARCHED.map((column) => lowerContains(eb.ref(column), text)))
  const trigrams = trigramsOf(text)
  if (trigrams.length === 0) {
    return matches
  }
  switch (dialect) {
    case 'sqlite':
      return eb.and([
        sql<SqlBool>`${eb.ref('hosts.id')} in (select rowid from hosts_search where hosts_search match ${ftsPhrase(text)})`,
        matches,
      ])
    case 'mysql':
      return eb.and([
        ...spread(trigrams, MYSQL_TRIGRAMS).map(
          (trigram) =>
            sql<SqlBool>`${eb.ref('hosts.id')} in (select host_id from hosts_search_trigrams where trigram = ${trigram})`,
        ),
        matches,
      ])
    case 'postgres':
      return matches
  }
}

/** The distinct three-character windows of `text` (characters are code points, as in SQL). */
function trigramsOf(text: string): string[] {
  const chars = [...text]
  const windows = chars
    .slice(0, Math.max(0, chars.length - TRIGRAM_LENGTH + 1))
    .map((_, i) => chars.slice(i, i + TRIGRAM_LENGTH).join(''))
  return [...new Set(windows)]
}

/**
 * At most this many of a term's trigrams are looked up on MySQL: each is a semi-join for the
 * optimizer to order (by how many hosts hold it), and any subset still finds every match.
 */
const MYSQL_TRIGRAMS = 6

/** At most `n` items of `list`, spread evenly from its first to its last. */
function spread<T>(list: readonly T[], n: number): T[] {
  if (list.length <= n) {
    return [...list]
  }
  return Array.from(
    { length: n },
    (_, i) => list[Math.round((i * (list.length - 1)) / (n - 1))],
  ).filter((item): item is T => item !== undefined)
}

/** `text` as one FTS5 phrase: quoted, quotes doubled, so no character is query syntax. */
function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`
}
