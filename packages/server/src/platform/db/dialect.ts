import {
  MysqlAdapter,
  PostgresAdapter,
  SqliteAdapter,
  sql,
  type ColumnDataType,
  type ColumnDefinitionBuilder,
  type CreateTableBuilder,
  type Expression,
  type InsertQueryBuilder,
  type InsertResult,
  type Kysely,
  type RawBuilder,
} from 'kysely'

/**
 * The few places where SQLite, MySQL/MariaDB and PostgreSQL differ, kept here so that stores and
 * migrations stay dialect-free.
 */
export type Dialect = 'sqlite' | 'mysql' | 'postgres'

// Any Kysely instance (or transaction) works: only its adapter is inspected.
type AnyDb = Pick<Kysely<never>, 'getExecutor'>

export function dialectOf(db: AnyDb): Dialect {
  const adapter = db.getExecutor().adapter
  if (adapter instanceof MysqlAdapter) {
    return 'mysql'
  }
  if (adapter instanceof PostgresAdapter) {
    return 'postgres'
  }
  if (adapter instanceof SqliteAdapter) {
    return 'sqlite'
  }
  throw new Error('unsupported SQL dialect')
}

/** Column type of an auto-incrementing integer primary key. */
export function idColumnType(dialect: Dialect): ColumnDataType {
  return dialect === 'postgres' ? 'serial' : 'integer'
}

/**
 * Constraints of that id column: PostgreSQL's `serial` already auto-increments and has no
 * AUTO_INCREMENT keyword (Kysely emits it verbatim, a syntax error there).
 */
export function idColumnConstraints(
  dialect: Dialect,
): (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return (column) =>
    dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement()
}

/** Timestamps are stored as integer milliseconds since the epoch in every dialect. */
export const TIMESTAMP_TYPE: ColumnDataType = 'bigint'

/** Long text (JSON documents, descriptions): MySQL needs MEDIUMTEXT past 64 KiB. */
export function longTextType(dialect: Dialect): RawBuilder<unknown> | ColumnDataType {
  return dialect === 'mysql' ? sql`mediumtext` : 'text'
}

/** Table options: utf8mb4 everywhere on MySQL/MariaDB. */
export function withTableOptions<T extends string, C extends string>(
  builder: CreateTableBuilder<T, C>,
  dialect: Dialect,
): CreateTableBuilder<T, C> {
  return dialect === 'mysql'
    ? builder.modifyEnd(sql`ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`)
    : builder
}

/** True when a write failed because a unique key or primary key already holds the value. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) {
    return false
  }
  const code = 'code' in err ? String(err.code) : ''
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'ER_DUP_ENTRY' ||
    code === '23505'
  )
}

/**
 * Case-insensitive equality on a text column, the same on every dialect. Both sides go through the
 * database's lower(): SQLite's folds ASCII only, so a value lowered in JavaScript ('Équipe' →
 * 'équipe') would never equal the column lowered by SQLite, not even for the exact stored name.
 */
export function lowerEquals(column: Expression<string>, value: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${column}) = lower(${value})`
}

/** Escapes `%`, `_` and `\` so user text can sit inside a LIKE pattern. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/**
 * Case-insensitive "column contains text", with `%`, `_` and `\` in the text matched literally
 * (both sides lowered by the database, as in lowerEquals).
 * The ESCAPE clause is needed: SQLite's LIKE has no default escape character (MySQL and
 * PostgreSQL default to backslash), so without it a search for `50%` matched nothing there.
 */
export function lowerContains(column: Expression<string>, text: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${column}) like lower(${likeContains(text)}) escape ${sql.lit('\\')}`
}

/**
 * Runs an INSERT and returns the new row's auto-increment id: RETURNING on SQLite and
 * PostgreSQL, the driver's insertId on MySQL/MariaDB (which Kysely can't RETURN on).
 */
export async function insertReturningId<DB, TB extends keyof DB & string>(
  db: AnyDb,
  query: InsertQueryBuilder<DB, TB, InsertResult>,
): Promise<number> {
  if (dialectOf(db) === 'mysql') {
    const result = await query.executeTakeFirstOrThrow()
    return Number(result.insertId)
  }
  const row: unknown = await query.returning(sql<number>`id`.as('id')).executeTakeFirstOrThrow()
  if (typeof row !== 'object' || row === null || !('id' in row)) {
    throw new Error('INSERT … RETURNING id returned no id')
  }
  return Number(row.id)
}

/** Binary data up to a few MiB per value (file-carve blocks): MySQL's BLOB stops at 64 KiB. */
export function binaryType(dialect: Dialect): RawBuilder<unknown> | ColumnDataType {
  switch (dialect) {
    case 'mysql':
      return sql`longblob`
    case 'postgres':
      return 'bytea'
    case 'sqlite':
      return 'blob'
  }
}

/**
 * Inside a transaction, locks one row (by `id`) until the transaction ends, so writers that take
 * the same lock first run one after another: `SELECT … FOR UPDATE` on MySQL and PostgreSQL. On
 * SQLite nothing is needed: its transactions already run one at a time.
 */
export async function lockRow(
  db: AnyDb & Pick<Kysely<never>, 'executeQuery'>,
  table: string,
  id: number,
): Promise<void> {
  if (dialectOf(db) === 'sqlite') {
    return
  }
  await sql`select id from ${sql.table(table)} where id = ${id} for update`.execute(db)
}

/**
 * The tail of an `INSERT … VALUES …` that updates `columns` from the inserted row when `key`
 * already exists: `ON DUPLICATE KEY UPDATE` on MySQL/MariaDB, `ON CONFLICT … DO UPDATE` elsewhere.
 *
 * @example sql`INSERT INTO t (k, v) VALUES ${rows} ${upsertSuffix(db, ['k'], ['v'])}`
 */
export function upsertSuffix(
  db: AnyDb,
  key: readonly string[],
  columns: readonly string[],
): RawBuilder<unknown> {
  if (dialectOf(db) === 'mysql') {
    const sets = columns.map((c) => sql`${sql.id(c)} = VALUES(${sql.id(c)})`)
    return sql`ON DUPLICATE KEY UPDATE ${sql.join(sets)}`
  }
  const sets = columns.map((c) => sql`${sql.id(c)} = excluded.${sql.id(c)}`)
  return sql`ON CONFLICT (${sql.join(key.map((k) => sql.id(k)))}) DO UPDATE SET ${sql.join(sets)}`
}

/**
 * Applies a page to a select: `limit` rows from `offset`, or every row when `limit` is undefined
 * (Fleet's lists without paging parameters). MySQL accepts OFFSET only with LIMIT, so both go
 * together.
 */
export function withPage<QB extends { limit(n: number): QB; offset(n: number): QB }>(
  query: QB,
  page: { offset: number; limit?: number | undefined },
): QB {
  return page.limit === undefined ? query : query.limit(page.limit).offset(page.offset)
}
