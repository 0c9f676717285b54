import { sql, type Kysely } from 'kysely'
import type { Dialect } from '../../platform/db/index.js'

/**
 * What a migrated database holds, in a form that can be committed and diffed: per table, each
 * column as `<type>[ not null][ default <value>][ auto_increment]`, the primary key's columns, and
 * each other index as `[unique ](<columns>)`. Types are the database's own names (one snapshot per
 * dialect), lower-cased, with MySQL's integer display widths (`bigint(20)` on MariaDB) dropped.
 */
export interface SchemaSnapshot {
  [table: string]: {
    columns: Record<string, string>
    primaryKey: string[]
    indexes: Record<string, string>
  }
}

/** Kysely's own bookkeeping, not part of the application's schema. */
const BOOKKEEPING = /^migration_status/

interface ColumnRow {
  table: string
  column: string
  type: string
  notNull: boolean
  dflt: string | null
  autoIncrement: boolean
}

interface IndexRow {
  table: string
  index: string
  unique: boolean
  primary: boolean
  columns: string[]
}

/** Reads the schema of the database `db` is connected to. */
export async function readSchema(db: Kysely<unknown>, dialect: Dialect): Promise<SchemaSnapshot> {
  const { columns, indexes } = await READERS[dialect](db)
  const snapshot: SchemaSnapshot = {}
  const tableOf = (name: string) =>
    (snapshot[name] ??= { columns: {}, primaryKey: [], indexes: {} })
  for (const c of columns.filter((row) => !BOOKKEEPING.test(row.table))) {
    tableOf(c.table).columns[c.column] = describeColumn(c)
  }
  for (const i of indexes.filter((row) => !BOOKKEEPING.test(row.table))) {
    if (i.primary) {
      tableOf(i.table).primaryKey = i.columns
    } else {
      tableOf(i.table).indexes[i.index] = `${i.unique ? 'unique ' : ''}(${i.columns.join(', ')})`
    }
  }
  return sortKeys(snapshot)
}

function describeColumn(c: ColumnRow): string {
  return [
    c.type.toLowerCase(),
    c.notNull ? 'not null' : '',
    c.dflt === null ? '' : `default ${c.dflt}`,
    c.autoIncrement ? 'auto_increment' : '',
  ]
    .filter((part) => part !== '')
    .join(' ')
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)))
}

type Reader = (db: Kysely<unknown>) => Promise<{ columns: ColumnRow[]; indexes: IndexRow[] }>

const READERS: Record<Dialect, Reader> = {
  sqlite: readSqlite,
  mysql: readMysql,
  postgres: readPostgres,
}

async function readSqlite(
  db: Kysely<unknown>,
): Promise<{ columns: ColumnRow[]; indexes: IndexRow[] }> {
  const tables = await sql<{ name: string; sql: string }>`
    select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'
    order by name`.execute(db)
  const columns: ColumnRow[] = []
  const indexes: IndexRow[] = []
  const virtual = tables.rows.flatMap((t) => fullTextIndex(t.name, t.sql) ?? [])
  indexes.push(...virtual)
  const shadows = new Set(virtual.flatMap((v) => FTS5_SHADOWS.map((s) => `${v.index}_${s}`)))
  for (const { name: table, sql: ddl } of tables.rows) {
    if (shadows.has(table) || virtual.some((v) => v.index === table)) {
      continue
    }
    const info = await sql<{
      name: string
      type: string
      notnull: number
      dflt_value: string | null
      pk: number
    }>`
      select name, type, "notnull", dflt_value, pk from pragma_table_info(${table})`.execute(db)
    const autoIncrement = /autoincrement/i.test(ddl)
    for (const c of info.rows) {
      columns.push({
        table,
        column: c.name,
        type: c.type,
        notNull: c.notnull === 1,
        dflt: c.dflt_value,
        autoIncrement: autoIncrement && c.pk === 1,
      })
    }
    const pk = info.rows.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk)
    if (pk.length > 0) {
      indexes.push({
        table,
        index: 'primary',
        unique: true,
        primary: true,
        columns: pk.map((c) => c.name),
      })
    }
    const list = await sql<{ name: string; unique: number; origin: string }>`
      select name, "unique", origin from pragma_index_list(${table})`.execute(db)
    for (const index of list.rows.filter((i) => i.origin !== 'pk')) {
      const cols = await sql<{ name: string }>`
        select name from pragma_index_info(${index.name}) order by seqno`.execute(db)
      indexes.push({
        table,
        index: index.name,
        unique: index.unique === 1,
        primary: false,
        columns: cols.rows.map((c) => c.name),
      })
    }
  }
  return { columns, indexes }
}

/** The tables FTS5 keeps its index in, named `<virtual table>_<suffix>`. */
const FTS5_SHADOWS = ['data', 'idx', 'content', 'docsize', 'config']

/**
 * An FTS5 table over another table's columns (`content='hosts'`) is that table's full-text index:
 * listed among its indexes as `fts5 <tokenizer> (<columns>)`, and its shadow tables left out.
 */
function fullTextIndex(name: string, ddl: string): IndexRow | undefined {
  const match = /^CREATE VIRTUAL TABLE \S+ USING fts5\((.*)\)$/is.exec(ddl)
  const args = match?.[1]?.split(',').map((a) => a.trim()) ?? []
  const option = (key: string) =>
    args
      .find((a) => a.startsWith(`${key}=`))
      ?.slice(key.length + 1)
      .replace(/^'|'$/g, '')
  const content = option('content')
  if (content === undefined) {
    return undefined
  }
  return {
    table: content,
    index: name,
    unique: false,
    primary: false,
    columns: [`fts5 ${option('tokenize') ?? 'unicode61'}`, ...args.filter((a) => !a.includes('='))],
  }
}

async function readMysql(
  db: Kysely<unknown>,
): Promise<{ columns: ColumnRow[]; indexes: IndexRow[] }> {
  const columns = await sql<{
    table_name: string
    column_name: string
    column_type: string
    is_nullable: string
    column_default: string | null
    extra: string
  }>`
    select table_name as table_name, column_name as column_name, column_type as column_type,
      is_nullable as is_nullable, column_default as column_default, extra as extra
    from information_schema.columns where table_schema = database()
    order by table_name, ordinal_position`.execute(db)
  const stats = await sql<{
    table_name: string
    index_name: string
    non_unique: number | string
    column_name: string
  }>`
    select table_name as table_name, index_name as index_name, non_unique as non_unique,
      column_name as column_name
    from information_schema.statistics where table_schema = database()
    order by table_name, index_name, seq_in_index`.execute(db)
  const byIndex = new Map<string, IndexRow>()
  for (const s of stats.rows) {
    const key = `${s.table_name}\u0000${s.index_name}`
    const row = byIndex.get(key) ?? {
      table: s.table_name,
      index: s.index_name,
      unique: Number(s.non_unique) === 0,
      primary: s.index_name === 'PRIMARY',
      columns: [],
    }
    row.columns.push(s.column_name)
    byIndex.set(key, row)
  }
  return {
    columns: columns.rows.map((c) => ({
      table: c.table_name,
      column: c.column_name,
      // MariaDB writes display widths (`bigint(20)`), MySQL 8 does not.
      type: c.column_type.replace(/^((?:tiny|small|medium|big)?int)\(\d+\)/, '$1'),
      notNull: c.is_nullable === 'NO',
      // MariaDB reports a nullable column without a default as the text NULL.
      dflt: c.column_default === 'NULL' ? null : c.column_default,
      autoIncrement: c.extra.includes('auto_increment'),
    })),
    indexes: [...byIndex.values()],
  }
}

async function readPostgres(
  db: Kysely<unknown>,
): Promise<{ columns: ColumnRow[]; indexes: IndexRow[] }> {
  const columns = await sql<{
    table: string
    column: string
    type: string
    not_null: boolean
    dflt: string | null
  }>`
    select c.relname as "table", a.attname as "column",
      format_type(a.atttypid, a.atttypmod) as "type", a.attnotnull as "not_null",
      pg_get_expr(d.adbin, d.adrelid) as "dflt"
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where n.nspname = current_schema() and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
    order by c.relname, a.attnum`.execute(db)
  const indexes = await sql<{
    table: string
    index: string
    unique: boolean
    primary: boolean
    columns: string[]
  }>`
    select t.relname as "table", i.relname as "index", x.indisunique as "unique",
      x.indisprimary as "primary",
      array(
        select case when m.amname = 'btree' then '' else m.amname || ': ' end
          || pg_get_indexdef(x.indexrelid, k.n::int, true)
        from unnest(x.indkey) with ordinality as k(attnum, n) order by k.n
      )::text[] as "columns"
    from pg_index x
    join pg_class t on t.oid = x.indrelid
    join pg_class i on i.oid = x.indexrelid
    join pg_am m on m.oid = i.relam
    join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = current_schema()
    order by t.relname, i.relname`.execute(db)
  return {
    columns: columns.rows.map((c) => ({
      table: c.table,
      column: c.column,
      type: c.type,
      notNull: c.not_null,
      dflt: c.dflt,
      autoIncrement: false,
    })),
    indexes: indexes.rows,
  }
}
