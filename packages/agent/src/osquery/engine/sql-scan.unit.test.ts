import { describe, expect, it } from 'vitest'
import { constraintHints, splitStatements, tokenize } from './sql-scan.js'

describe('tokenize', () => {
  it('reads strings, quoted identifiers and comments', () => {
    const tokens = tokenize(`SELECT "a b", 'it''s' -- note\n/* x */ FROM t`).map((t) => t.text)
    expect(tokens).toEqual(['SELECT', 'a b', ',', "it's", 'FROM', 't'])
  })
})

describe('splitStatements', () => {
  it('splits on semicolons outside strings and drops empty statements', () => {
    expect(splitStatements("SELECT ';'; ; SELECT 2;")).toEqual(["SELECT ';'", ' SELECT 2'])
    expect(splitStatements('  ')).toEqual([])
  })
})

describe('constraintHints', () => {
  it('collects equality, LIKE, IN and reversed equality on the named columns', () => {
    const sql =
      "SELECT * FROM file f WHERE f.path = '/a' OR directory LIKE '/b/%' OR path IN ('/c', '/d') OR '/e' = path AND size = '1'"
    expect(constraintHints(sql, ['path', 'directory'])).toEqual([
      { column: 'path', op: 'eq', value: '/a' },
      { column: 'directory', op: 'like', value: '/b/%' },
      { column: 'path', op: 'eq', value: '/c' },
      { column: 'path', op: 'eq', value: '/d' },
      { column: 'path', op: 'eq', value: '/e' },
    ])
  })

  it('ignores other columns, functions named like columns and string contents', () => {
    expect(constraintHints("SELECT path('x') FROM t WHERE name = 'path = 1'", ['path'])).toEqual([])
  })
})
