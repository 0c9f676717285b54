import { afterEach, describe, expect, it } from 'vitest'
import { queryCommand } from './query-command.js'

function run(args: string[]): { out: string; err: string; exitCode: number | undefined } {
  let out = ''
  let err = ''
  const command = queryCommand({
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
  })
  command.exitOverride()
  command.parse(args, { from: 'user' })
  const exitCode = typeof process.exitCode === 'number' ? process.exitCode : undefined
  return { out, err, exitCode }
}

afterEach(() => {
  process.exitCode = undefined
})

describe('fleetd query', () => {
  it('prints rows as a JSON array of strings', () => {
    const { out, exitCode } = run(["SELECT 1 AS one, 'a' AS name, NULL AS empty"])
    expect(JSON.parse(out)).toEqual([{ one: '1', name: 'a', empty: '' }])
    expect(exitCode).toBeUndefined()
  })

  it('lists tables', () => {
    const { out } = run(['--list-tables'])
    expect(out.split('\n')).toEqual(expect.arrayContaining(['os_version', 'processes', 'users']))
  })

  it('prints the schema: every table with its columns, hidden inputs marked', () => {
    const { out } = run(['--schema'])
    const schema: { name: string; columns: { name: string; type: string; hidden?: true }[] }[] =
      JSON.parse(out)
    const names = schema.map((table) => table.name)
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)))
    const users = schema.find((table) => table.name === 'users')
    expect(users?.columns).toContainEqual({ name: 'uid', type: 'BIGINT' })
    expect(users?.columns).toContainEqual({ name: 'include_remote', type: 'TEXT', hidden: true })
    // Columns of other platforms (always NULL on Linux) are not offered.
    expect(schema.find((t) => t.name === 'time')?.columns.map((c) => c.name)).not.toContain(
      'win_timestamp',
    )
  })

  it('prints a failing query on stderr and exits 1', () => {
    const { out, err, exitCode } = run(['SELECT * FROM nope'])
    expect(out).toBe('')
    expect(err).toBe('Error: no such table: nope\n')
    expect(exitCode).toBe(1)
  })

  it("prints osquery's warning for a missing required column", () => {
    const { err, exitCode } = run(['SELECT * FROM file'])
    expect(err).toBe(
      'W Table file was queried without a required column in the WHERE clause\nError: constraint failed\n',
    )
    expect(exitCode).toBe(1)
  })
})
