import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Kysely } from 'kysely'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createKysely } from '../platform/db/index.js'
import { createEmptyDatabase, DIALECTS } from '../test-utils/databases.js'
import { migrateToLatest } from './migrate.js'
import { readSchema, type SchemaSnapshot } from './test-utils/read-schema.js'

// A fresh install must end with the schema the code expects: migrate an empty database of each
// dialect and compare what it holds with the committed snapshot db/schema/<dialect>.json, and check
// that every column of the Kysely table types (`Database`, db/database.ts) exists.
// `npm run db:schema` rewrites the snapshots (on all three dialects) after a new migration.

const UPDATE = process.env.UPDATE_DB_SCHEMA === '1'
const HOW_TO_UPDATE =
  'If the migration is intended, run `npm run db:schema` (MariaDB and PostgreSQL must be up) and ' +
  'commit packages/server/src/db/schema/*.json with it.'

const snapshotFile = (dialect: string) =>
  fileURLToPath(new URL(`./schema/${dialect}.json`, import.meta.url))

const SchemaSnapshotFile = z.record(
  z.string(),
  z.object({
    columns: z.record(z.string(), z.string()),
    primaryKey: z.array(z.string()),
    indexes: z.record(z.string(), z.string()),
  }),
)

function readSnapshot(dialect: string): SchemaSnapshot {
  try {
    return SchemaSnapshotFile.parse(JSON.parse(readFileSync(snapshotFile(dialect), 'utf8')))
  } catch (err) {
    throw new Error(`no schema snapshot for ${dialect}. ${HOW_TO_UPDATE}`, { cause: err })
  }
}

/** One line per difference, e.g. `hosts.seen_time: expected "bigint not null", found none`. */
function differences(expected: SchemaSnapshot, actual: SchemaSnapshot): string[] {
  const lines: string[] = []
  const compare = (where: string, want: unknown, got: unknown) => {
    if (JSON.stringify(want) !== JSON.stringify(got)) {
      lines.push(
        `${where}: expected ${JSON.stringify(want) ?? 'none'}, found ${JSON.stringify(got) ?? 'none'}`,
      )
    }
  }
  for (const table of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const want = expected[table]
    const got = actual[table]
    if (!want || !got) {
      lines.push(
        `table ${table}: ${want ? 'expected, missing from the migrated database' : 'not in the snapshot'}`,
      )
      continue
    }
    compare(`${table} primary key`, want.primaryKey, got.primaryKey)
    for (const kind of ['columns', 'indexes'] as const) {
      for (const name of new Set([...Object.keys(want[kind]), ...Object.keys(got[kind])])) {
        compare(
          `${table}.${kind === 'indexes' ? `index ${name}` : name}`,
          want[kind][name],
          got[kind][name],
        )
      }
    }
  }
  return lines
}

/** Tables and their columns as the `Database` interface declares them, read with the compiler. */
function declaredColumns(): Map<string, string[]> {
  const file = fileURLToPath(new URL('./database.ts', import.meta.url))
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(file)
  const database = source?.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'Database',
  )
  if (!database) {
    throw new Error('db/database.ts declares no `Database` interface')
  }
  const tables = new Map<string, string[]>()
  for (const table of checker.getTypeAtLocation(database).getProperties()) {
    const type = checker.getTypeOfSymbolAtLocation(table, database)
    tables.set(
      table.name,
      type.getProperties().map((column) => column.name),
    )
  }
  return tables
}

/**
 * Tables one dialect has in place of another's index, which no store reads through Kysely's types:
 * MySQL's host search trigrams (SQLite's FTS5 table and PostgreSQL's GIN indexes are listed as the
 * hosts' indexes).
 */
const INDEX_TABLES: Partial<Record<string, string[]>> = { mysql: ['hosts_search_trigrams'] }

describe.each(DIALECTS)('schema of a freshly migrated database [%s]', (dialect) => {
  let db: Kysely<unknown>
  let drop: () => Promise<void>
  let actual: SchemaSnapshot
  beforeAll(async () => {
    const empty = await createEmptyDatabase(dialect)
    db = createKysely<unknown>(empty.target)
    drop = async () => {
      await db.destroy()
      await empty.drop()
    }
    await migrateToLatest(db)
    actual = await readSchema(db, dialect)
    if (UPDATE) {
      mkdirSync(fileURLToPath(new URL('./schema/', import.meta.url)), { recursive: true })
      writeFileSync(snapshotFile(dialect), `${JSON.stringify(actual, null, 2)}\n`)
    }
  })
  afterAll(() => drop())

  it('matches the committed snapshot db/schema/<dialect>.json', () => {
    const diff = differences(readSnapshot(dialect), actual)
    expect(
      diff,
      `the migrated ${dialect} schema differs from db/schema/${dialect}.json. ${HOW_TO_UPDATE}`,
    ).toEqual([])
  })

  it('has every table and column the Kysely table types declare', () => {
    const missing: string[] = []
    for (const [table, columns] of declaredColumns()) {
      for (const column of columns) {
        if (!actual[table]?.columns[column]) {
          missing.push(`${table}.${column}`)
        }
      }
    }
    expect(missing, 'columns in a *.table.ts type that no migration creates').toEqual([])
    expect(
      Object.keys(actual)
        .filter((table) => !INDEX_TABLES[dialect]?.includes(table))
        .sort(),
      'tables the migrations create vs. the `Database` interface',
    ).toEqual([...declaredColumns().keys()].sort())
  })
})
