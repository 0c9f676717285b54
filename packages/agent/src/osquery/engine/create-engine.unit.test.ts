import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fixtureEngine } from './test-fixtures/fixture-root.js'

const machine = fixtureEngine({
  '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/zsh\n',
  '/etc/group': 'root:x:0:\nalice:x:1000:\n',
  '/proc/uptime': '100.5 0\n',
})

describe('createEngine', () => {
  it('returns osquery wire values: integers in decimal, reals as SQLite prints them, NULL as ""', () => {
    expect(
      machine.rows(
        "SELECT 1 AS one, 2.5 AS half, 4.0 AS four, NULL AS none, 9007199254740993 AS big, x'6869' AS blob",
      ),
    ).toEqual([
      { one: '1', half: '2.5', four: '4.0', none: '', big: '9007199254740993', blob: 'hi' },
    ])
  })

  it('reports SQLite errors with their messages and never throws', () => {
    expect(machine.engine.query('SELECT * FROM no_such')).toEqual({
      status: 1,
      error: 'no such table: no_such',
    })
    expect(machine.engine.query('SELEC 1')).toEqual({
      status: 1,
      error: 'near "SELEC": syntax error',
    })
    expect(machine.engine.query('SELECT nope FROM users')).toEqual({
      status: 1,
      error: 'no such column: nope',
    })
  })

  it('is query-only: a query cannot leave tables behind', () => {
    expect(machine.engine.query('CREATE TABLE t (a)')).toEqual({
      status: 1,
      error: 'attempt to write a readonly database',
    })
  })

  it('refuses ATTACH, DETACH, VACUUM INTO and writing pragmas as osquery does, creating no file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-authorizer-'))
    try {
      const target = join(dir, 'planted.db')
      for (const sql of [
        `ATTACH DATABASE '${target}' AS planted`,
        `SELECT 1; ATTACH DATABASE '${target}' AS planted`,
        `VACUUM INTO '${target}'`,
        'PRAGMA query_only = OFF',
      ]) {
        expect(machine.engine.query(sql)).toEqual({ status: 1, error: 'not authorized' })
      }
      expect(existsSync(target)).toBe(false)
      // The read-only guard is still on.
      expect(machine.rows('PRAGMA query_only')).toEqual([{ query_only: '1' }])
      expect(machine.rows("SELECT name FROM pragma_table_info('users') LIMIT 1")).toEqual([
        { name: 'uid' },
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('runs every statement of a multi-statement query and a trailing semicolon', () => {
    expect(machine.rows("SELECT 1 AS a; SELECT 'x;y' AS b;")).toEqual([{ a: '1' }, { b: 'x;y' }])
    expect(machine.rows('SELECT 1;')).toEqual([{ 1: '1' }])
  })

  it('supports WHERE, joins, aggregates and subqueries across tables', () => {
    expect(machine.rows('SELECT count(*) AS n, max(uid) AS top FROM users')).toEqual([
      { n: '2', top: '1000' },
    ])
    expect(
      machine.rows(
        "SELECT u.username, g.groupname FROM users u JOIN groups g ON g.gid = u.gid WHERE u.shell LIKE '%zsh'",
      ),
    ).toEqual([{ username: 'alice', groupname: 'alice' }])
    expect(
      machine.rows(
        'SELECT username FROM users WHERE uid IN (SELECT gid FROM groups WHERE gid > 0)',
      ),
    ).toEqual([{ username: 'alice' }])
    expect(machine.rows('SELECT total_seconds * 2 AS double FROM uptime')).toEqual([
      { double: '200' },
    ])
  })

  it("offers osquery's SQL functions", () => {
    expect(
      machine.rows(
        "SELECT split('10.1.2.3', '.', 0) AS a, split('a..b', '.', 1) AS b, inet_aton('192.168.0.1') AS c, " +
          "inet_aton('::1') AS d, regex_match('fd12::1', '^f[cd][0-9a-f][0-9a-f]:', 0) AS e, " +
          "concat('a', NULL, 'b') AS f, concat_ws('-', 'a', 'b') AS g, in_cidr_block('10.0.0.0/8', '10.2.3.4') AS h, " +
          "in_cidr_block('fd00::/8', '2001::1') AS i, sha256('abc') AS j, to_base64('hi') AS k, regex_split('a1b22c', '[0-9]+', 2) AS l",
      ),
    ).toEqual([
      {
        a: '10',
        b: 'b',
        c: '3232235521',
        d: '',
        e: 'fd12:',
        f: 'ab',
        g: 'a-b',
        h: '1',
        i: '0',
        j: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
        k: 'aGk=',
        l: 'c',
      },
    ])
    expect(machine.engine.query("SELECT split('a', '', 0)")).toEqual({
      status: 1,
      error: 'Invalid input to split function',
    })
  })

  it('lists its tables sorted, and registers them in osquery_registry', () => {
    const tables = machine.engine.tables()
    expect(tables).toEqual([...tables].sort())
    expect(tables).toEqual(
      expect.arrayContaining(['os_version', 'processes', 'file', 'hash', 'deb_packages']),
    )
    expect(
      machine.rows("SELECT count(*) AS n FROM osquery_registry WHERE registry = 'table'"),
    ).toEqual([{ n: String(tables.length) }])
  })

  it('hides hidden columns from SELECT * but accepts them as constraints', () => {
    expect(Object.keys(machine.rows('SELECT * FROM users LIMIT 1')[0] ?? {})).not.toContain(
      'pid_with_namespace',
    )
    expect(machine.rows('SELECT username FROM users WHERE include_remote = 1 AND uid = 0')).toEqual(
      [{ username: 'root' }],
    )
  })
})
