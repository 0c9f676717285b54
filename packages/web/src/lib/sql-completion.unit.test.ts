import { describe, expect, it } from 'vitest'
import schemaJson from '../generated/osquery-schema.json'
import { completeSql, type SchemaTable } from './sql-completion.js'

const schema: SchemaTable[] = [
  {
    name: 'users',
    columns: [
      { name: 'uid', type: 'BIGINT' },
      { name: 'username', type: 'TEXT' },
      { name: 'include_remote', type: 'TEXT', hidden: true },
    ],
  },
  {
    name: 'processes',
    columns: [
      { name: 'pid', type: 'BIGINT' },
      { name: 'uid', type: 'BIGINT' },
      { name: 'name', type: 'TEXT' },
    ],
  },
  { name: 'uptime', columns: [{ name: 'total_seconds', type: 'BIGINT' }] },
]

/** Completes at the `|` in `sql`. */
function at(marked: string, explicit = false) {
  const pos = marked.indexOf('|')
  const result = completeSql(marked.replace('|', ''), pos, schema, explicit)
  return result && { from: result.from, labels: result.options.map((o) => o.label) }
}

describe('SQL completion from the osquery schema', () => {
  it('offers tables after FROM and JOIN, filtered by what is typed', () => {
    expect(at('SELECT * FROM u|')).toEqual({ from: 14, labels: ['users', 'uptime'] })
    expect(at('SELECT * FROM |')?.labels).toEqual(['users', 'processes', 'uptime'])
    expect(at('select * from users u join pro|')?.labels).toEqual(['processes'])
    expect(at('SELECT * FROM users, p|')?.labels).toEqual(['processes'])
    expect(at('SELECT * FROM x|')).toBeNull()
  })

  it('offers the columns of the tables in the statement, not of others', () => {
    expect(at('SELECT u| FROM users')?.labels).toEqual(['uid', 'username'])
    expect(at('SELECT * FROM users WHERE user|')?.labels).toEqual(['username'])
    expect(at('SELECT n| FROM processes JOIN users USING (uid)')?.labels).toEqual(['name'])
    expect(at('SELECT total| FROM users')).toBeNull()
    // Hidden inputs are offered too, marked as inputs.
    const result = completeSql('SELECT * FROM users WHERE incl', 30, schema)
    expect(result?.options).toEqual([
      { label: 'include_remote', type: 'column', detail: 'users · input' },
    ])
  })

  it('offers nothing on a bare space unless asked (Ctrl-Space)', () => {
    expect(at('SELECT | FROM uptime')).toBeNull()
    expect(at('SELECT | FROM uptime', true)?.labels).toEqual(['total_seconds'])
  })

  it('completes table.column and alias.column', () => {
    expect(at('SELECT processes.| FROM processes')).toEqual({
      from: 17,
      labels: ['pid', 'uid', 'name'],
    })
    expect(at('SELECT p.n| FROM processes p JOIN users AS u ON p.uid = u.uid')).toEqual({
      from: 9,
      labels: ['name'],
    })
    expect(at('SELECT u.u| FROM processes p JOIN users AS u ON p.uid = u.uid')?.labels).toEqual([
      'uid',
      'username',
    ])
    // A table not (yet) in the statement is still known by its name.
    expect(at('SELECT uptime.t|')?.labels).toEqual(['total_seconds'])
    expect(at('SELECT nope.|')).toBeNull()
  })

  it('looks only at the statement under the cursor, and not inside strings or comments', () => {
    expect(at('SELECT * FROM users; SELECT n| FROM processes')?.labels).toEqual(['name'])
    expect(at("SELECT u| FROM uptime WHERE 'FROM users' -- JOIN users")).toBeNull()
    expect(at('SELECT * FROM "users" WHERE u|')?.labels).toEqual(['uid', 'username'])
  })

  it("knows the tables of fleetd's engine from the generated schema", () => {
    const generated: SchemaTable[] = schemaJson
    const result = completeSql('SELECT * FROM os_v', 18, generated)
    expect(result?.options.map((o) => o.label)).toEqual(['os_version'])
    const columns = completeSql('SELECT * FROM os_version WHERE pla', 34, generated)
    expect(columns?.options.map((o) => o.label)).toEqual(['platform', 'platform_like'])
  })
})
