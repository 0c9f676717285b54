import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { renderTeams, renderUsers } from './commands/get.js'
import {
  configSpecOf,
  enrollSecretSpecOf,
  outputFormat,
  renderJsonLines,
  renderTable,
  renderYamlDocs,
  specDoc,
  teamSpecOf,
} from './render.js'
import { parseSpecDocuments } from './specs.js'
import { appConfigFixture, teamFixture, userFixture } from './test-utils/fixtures.js'

describe('renderTable', () => {
  it('draws a bordered table with upper-case headers and right-aligned numbers', () => {
    expect(
      renderTable(
        ['Team name', 'Host count'],
        [
          ['Workstations', '12'],
          ['Servers', '3'],
        ],
      ),
    ).toBe(
      [
        '+--------------+------------+',
        '| TEAM NAME    | HOST COUNT |',
        '+--------------+------------+',
        '| Workstations |         12 |',
        '+--------------+------------+',
        '| Servers      |          3 |',
        '+--------------+------------+',
        '',
      ].join('\n'),
    )
  })

  it('keeps each row on one line and pads by characters, not bytes', () => {
    const out = renderTable(['Name'], [['a\nb'], ['💻 W']])
    expect(out.split('\n')).toEqual([
      '+------+',
      '| NAME |',
      '+------+',
      '| a b  |',
      '+------+',
      '| 💻 W  |',
      '+------+',
      '',
    ])
  })
})

describe('outputFormat', () => {
  it('picks json or yaml, else the fallback, and refuses both', () => {
    expect(outputFormat({}, 'table')).toBe('table')
    expect(outputFormat({ json: true }, 'table')).toBe('json')
    expect(outputFormat({ yaml: true }, 'table')).toBe('yaml')
    expect(() => outputFormat({ json: true, yaml: true }, 'yaml')).toThrow(
      "Can't specify both yaml and json flags.",
    )
  })
})

describe('spec documents', () => {
  it('prints YAML documents each introduced by ---, without folding long lines', () => {
    const long = 'x'.repeat(200)
    const out = renderYamlDocs([specDoc('config', { a: long }), specDoc('config', { b: [1] })])
    expect(out).toBe(
      `---\napiVersion: v1\nkind: config\nspec:\n  a: ${long}\n---\napiVersion: v1\nkind: config\nspec:\n  b:\n    - 1\n`,
    )
  })

  it('prints one compact JSON document per line', () => {
    expect(renderJsonLines([{ a: 1 }, { b: 'x' }])).toBe('{"a":1}\n{"b":"x"}\n')
  })

  it('leaves the enroll secrets out of a team spec, as Fleet does', () => {
    const team = teamFixture({
      name: 'Servers',
      secrets: [{ secret: 's3cret', created_at: '2024-01-01T00:00:00Z', team_id: 1 }],
    })
    expect(teamSpecOf(team)).not.toHaveProperty('secrets')
    expect(teamSpecOf(team)).not.toHaveProperty('agent_options')
    expect(teamSpecOf({ ...team, agent_options: { config: {} } }).agent_options).toEqual({
      config: {},
    })
  })

  it('round-trips teams: get teams --yaml is valid input for apply', () => {
    const teams = [
      teamFixture({ id: 1, name: 'Workstations', description: 'laptops' }),
      teamFixture({ id: 2, name: 'Servers', agent_options: { config: { options: { a: 1 } } } }),
    ]
    const yaml = renderTeams(teams, 'yaml')
    const docs = parseSpecDocuments(yaml, 'teams.yml')
    expect(docs.map((d) => (d.kind === 'team' ? d.spec : undefined))).toEqual(teams.map(teamSpecOf))
    expect(docs.every((d) => d.kind === 'team' && d.ignored.length === 0)).toBe(true)
  })

  it("drops the server's facts from the config spec unless asked", () => {
    const config = appConfigFixture()
    expect(Object.keys(configSpecOf(config, false))).not.toContain('license')
    expect(Object.keys(configSpecOf(config, true))).toEqual(
      expect.arrayContaining(['license', 'logging']),
    )
  })

  it('prints global enroll secrets without team ids', () => {
    expect(
      enrollSecretSpecOf([{ secret: 'abc', created_at: '2024-01-01T00:00:00Z', team_id: null }]),
    ).toEqual({ secrets: [{ secret: 'abc', created_at: '2024-01-01T00:00:00Z' }] })
  })
})

describe('renderTeams / renderUsers', () => {
  const teams = [teamFixture({ name: 'Workstations', host_count: 4, user_count: 2 })]

  it('renders teams as a table, JSON lines of full teams, or appliable YAML', () => {
    expect(renderTeams(teams, 'table')).toContain('| Workstations |          4 |          2 |')
    const json: unknown = JSON.parse(renderTeams(teams, 'json'))
    expect(json).toEqual({ apiVersion: 'v1', kind: 'team', spec: { team: teams[0] } })
    expect(parse(renderTeams(teams, 'yaml').replace(/^---\n/, ''))).toMatchObject({
      kind: 'team',
      spec: { team: { name: 'Workstations' } },
    })
    expect(renderTeams([], 'table')).toBe('No teams found\n')
  })

  it('renders users with their roles', () => {
    const users = [
      userFixture({ name: 'Ann', email: 'ann@example.com' }),
      userFixture({
        id: 2,
        name: 'Bob',
        email: 'bob@example.com',
        global_role: null,
        api_only: true,
        teams: [{ id: 1, name: 'Servers', description: '', role: 'observer' }],
      }),
    ]
    const table = renderUsers(users, 'table')
    expect(table).toContain(
      '| NAME | EMAIL           | GLOBAL ROLE | TEAMS             | API ONLY |',
    )
    expect(table).toContain(
      '| Bob  | bob@example.com |             | Servers: observer | yes      |',
    )
    expect(renderUsers(users, 'json').trim().split('\n')).toHaveLength(2)
    expect(renderUsers([], 'yaml')).toBe('No users found\n')
  })
})
