// FROZEN: never edit this file. It is a copy, taken when migrations stopped importing the
// application, of the dialect helpers the migrations up to 20261122030000_live_queries used
// (from platform/db/dialect.ts). A migration must produce the same SQL forever, so that a fresh
// install and one upgraded step by step end with the same schema; if it imported live application
// code, a later change to that code would silently change what an old migration creates. When a
// new migration needs a different or extra helper, copy this file to helpers-v2.ts, change the
// copy, and import that from the new migration only. `.dependency-cruiser.cjs`
// (migrations-import-only-frozen-helpers) allows migrations to import only `kysely` and these
// files.
import {
  MysqlAdapter,
  PostgresAdapter,
  SqliteAdapter,
  sql,
  type ColumnDataType,
  type ColumnDefinitionBuilder,
  type CreateTableBuilder,
  type Kysely,
  type RawBuilder,
} from 'kysely'

/** The three SQL dialects the migrations are written for. */
export type Dialect = 'sqlite' | 'mysql' | 'postgres'

/** The dialect of a Kysely instance (or transaction), from its adapter. */
export function dialectOf(db: Pick<Kysely<never>, 'getExecutor'>): Dialect {
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

/** Table options: utf8mb4 everywhere on MySQL/MariaDB. */
export function withTableOptions<T extends string, C extends string>(
  builder: CreateTableBuilder<T, C>,
  dialect: Dialect,
): CreateTableBuilder<T, C> {
  return dialect === 'mysql'
    ? builder.modifyEnd(sql`ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`)
    : builder
}
