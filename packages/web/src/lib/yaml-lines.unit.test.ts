import { describe, expect, it } from 'vitest'
import { agentOptionsProblems, lineOfPath, parseYaml } from './yaml-lines.js'

const OPTIONS = `config:
  options:
    distributed_interval: 10
    not_an_option: true
  decorators:
    load:
      - SELECT uuid AS host_uuid FROM system_info;
      - 42
  schedule:
    a.dotted.name:
      query: SELECT 1
command_line_flags:
  verbose: yes
`

describe('parseYaml', () => {
  it('gives the value, or syntax errors at their line', () => {
    expect(parseYaml('a: 1\nb: [x]\n')).toEqual({ ok: true, value: { a: 1, b: ['x'] } })
    expect(parseYaml('')).toEqual({ ok: true, value: null })
    const bad = parseYaml('config:\n  options:\n    a: 1\n  b: [1,\n')
    expect(bad.ok).toBe(false)
    expect(!bad.ok && bad.problems[0]?.line).toBeGreaterThanOrEqual(4)
    const dup = parseYaml('a: 1\nb: 2\na: 3\n')
    expect(dup).toMatchObject({ ok: false, problems: [{ line: 3 }] })
  })
})

describe('lineOfPath', () => {
  it('finds the line of a nested key, a sequence item and a key with dots', () => {
    expect(lineOfPath(OPTIONS, ['config'])).toBe(1)
    expect(lineOfPath(OPTIONS, ['config', 'options', 'not_an_option'])).toBe(4)
    expect(lineOfPath(OPTIONS, ['config', 'decorators', 'load', '1'])).toBe(8)
    expect(lineOfPath(OPTIONS, ['config', 'schedule', 'a', 'dotted', 'name', 'query'])).toBe(11)
    expect(lineOfPath(OPTIONS, ['command_line_flags', 'verbose'])).toBe(13)
  })

  it('falls back to the deepest part that exists, or line 1', () => {
    expect(lineOfPath(OPTIONS, ['config', 'options', 'missing'])).toBe(2)
    expect(lineOfPath(OPTIONS, ['config', 'decorators', 'load', '9'])).toBe(6)
    expect(lineOfPath(OPTIONS, ['nothing', 'here'])).toBe(1)
    expect(lineOfPath('\n\n# only a comment\n', ['config'])).toBe(1)
    expect(lineOfPath('\n\nconfig: {}\n', [])).toBe(3)
  })
})

describe('agentOptionsProblems', () => {
  it("puts the server's field errors at their lines, whole-value errors at line 1", () => {
    expect(
      agentOptionsProblems(OPTIONS, [
        {
          name: 'agent_options.config.options.not_an_option',
          reason: 'unknown osquery option "not_an_option" (pass force to store it anyway)',
        },
        { name: 'agent_options.command_line_flags.verbose', reason: 'must be a boolean' },
        { name: 'agent_options', reason: 'must be an object' },
        { name: 'base', reason: 'something else' },
      ]),
    ).toEqual([
      {
        line: 4,
        message:
          'config.options.not_an_option: unknown osquery option "not_an_option" (pass force to store it anyway)',
      },
      { line: 13, message: 'command_line_flags.verbose: must be a boolean' },
      { line: 1, message: 'must be an object' },
      { line: 1, message: 'something else' },
    ])
  })
})
