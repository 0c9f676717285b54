import { describe, expect, it } from 'vitest'
import { deniedStatement, NOT_AUTHORIZED } from './sql-authorizer.js'

describe('deniedStatement', () => {
  it.each([
    "ATTACH DATABASE '/tmp/x.db' AS x",
    "attach '/tmp/x.db' as x",
    'DETACH DATABASE x',
    "VACUUM INTO '/tmp/copy.db'",
    'VACUUM',
    "EXPLAIN ATTACH '/tmp/x.db' AS x",
    'PRAGMA query_only = OFF',
    'PRAGMA query_only=0',
    'PRAGMA main.query_only = 0',
    'PRAGMA query_only(0)',
    "PRAGMA journal_mode = 'wal'",
    'PRAGMA writable_schema = ON',
    '/* hidden */ ATTACH DATABASE ? AS x',
  ])('refuses %s', (sql) => {
    expect(deniedStatement(sql)).toBe(NOT_AUTHORIZED)
  })

  it.each([
    'SELECT * FROM processes',
    "SELECT 'ATTACH DATABASE x' AS text",
    'WITH a AS (SELECT 1) SELECT * FROM a',
    'PRAGMA query_only',
    'PRAGMA table_info(processes)',
    'PRAGMA main.table_info(users)',
    'PRAGMA table_list',
    "SELECT * FROM pragma_table_info('users')",
    'EXPLAIN QUERY PLAN SELECT 1',
  ])('allows %s', (sql) => {
    expect(deniedStatement(sql)).toBeUndefined()
  })
})
