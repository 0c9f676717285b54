import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { groupSpecs, parseSpecDocuments, SpecError } from './specs.js'

const parse = (text: string): ReturnType<typeof parseSpecDocuments> =>
  parseSpecDocuments(text, 'specs.yml')

function errorOf(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(SpecError)
    return err instanceof Error ? err.message : String(err)
  }
  throw new Error('expected a SpecError')
}

// The team example of Fleet's "fleetctl apply" docs, trimmed to the keys the contract has.
const TEAM_DOC = `
apiVersion: v1
kind: team
spec:
  team:
    name: Client Platform Engineering
    features:
      enable_host_users: false
      enable_software_inventory: true
    host_expiry_settings:
      host_expiry_enabled: true
      host_expiry_window: 30
    agent_options:
      config:
        options:
          distributed_interval: 10
    secrets:
      - secret: RzTlxPvugG4o4O5IKS/HqEDJUmI1hwBoffff
`

describe('parseSpecDocuments', () => {
  it('parses team, enroll_secret and config documents in order', () => {
    const docs = parse(`---
${TEAM_DOC}
---
apiVersion: v1
kind: enroll_secret
spec:
  secrets:
    - secret: RzTlxPvugG4o4O5IKS/HqEDJUmI1hwBoffff
      created_at: "2021-11-17T00:39:50Z"
    - secret: YBh0n4pvRplKyWiowv9bf3zp6BBOJ13O
---
apiVersion: v1
kind: config
spec:
  org_info:
    org_name: Acme
`)
    expect(docs.map((d) => [d.kind, d.index])).toEqual([
      ['team', 1],
      ['enroll_secret', 2],
      ['config', 3],
    ])
    expect(docs[0]).toMatchObject({
      kind: 'team',
      spec: {
        name: 'Client Platform Engineering',
        features: { enable_host_users: false, enable_software_inventory: true },
        agent_options: { config: { options: { distributed_interval: 10 } } },
        secrets: [{ secret: 'RzTlxPvugG4o4O5IKS/HqEDJUmI1hwBoffff' }],
      },
      ignored: [],
    })
    // created_at is what `get enroll_secret` prints; applying it back just drops it.
    expect(docs[1]).toEqual({
      kind: 'enroll_secret',
      index: 2,
      secrets: [
        { secret: 'RzTlxPvugG4o4O5IKS/HqEDJUmI1hwBoffff' },
        { secret: 'YBh0n4pvRplKyWiowv9bf3zp6BBOJ13O' },
      ],
    })
    expect(docs[2]).toEqual({
      kind: 'config',
      index: 3,
      spec: { org_info: { org_name: 'Acme' } },
      ignored: [],
    })
  })

  it('skips empty documents but keeps counting them', () => {
    const docs = parse('---\n---\n# just a comment\n---\n' + TEAM_DOC)
    expect(docs).toHaveLength(1)
    expect(docs[0]?.index).toBe(3)
  })

  it('names the document index and kind of an unknown kind', () => {
    const text = `${TEAM_DOC}\n---\napiVersion: v1\nkind: widget\nspec: {}\n`
    expect(errorOf(() => parse(text))).toBe(
      'specs.yml: document 2 (kind "widget"): unknown kind "widget" (supported: label, team, enroll_secret, config, query, policy, user_roles, pack)',
    )
  })

  it("parses Fleet's pack spec as real fleetctl writes it, naming a bad field", () => {
    const text = [
      'apiVersion: v1',
      'kind: pack',
      'spec:',
      '  name: Baseline',
      '  targets:',
      '    labels: [All Hosts]',
      '    teams: null',
      '  queries:',
      '    - query: Uptime',
      '      name: uptime',
      '      description: ""',
      '      interval: 60',
      '      snapshot: true',
    ].join('\n')
    expect(parse(text)).toEqual([
      {
        kind: 'pack',
        index: 1,
        spec: {
          name: 'Baseline',
          description: '',
          platform: '',
          disabled: false,
          targets: { labels: ['All Hosts'], teams: null },
          queries: [
            { query: 'Uptime', name: 'uptime', description: '', interval: 60, snapshot: true },
          ],
        },
      },
    ])
    const bad = text.replace('interval: 60', 'interval: 0')
    expect(errorOf(() => parse(bad))).toMatch(
      /document 1 \(kind "pack"\): spec\.queries\.0\.interval: pack scheduled query interval/,
    )
  })

  it('parses query and policy specs with their defaults, naming a bad field', () => {
    const text = [
      'apiVersion: v1\nkind: query\nspec:\n  name: uptime\n  query: SELECT * FROM uptime\n  interval: 3600',
      'apiVersion: v1\nkind: policy\nspec:\n  name: Firewall\n  query: SELECT 1\n  team: Servers',
    ].join('\n---\n')
    const group = groupSpecs(parse(text), 'specs.yml')
    expect(group.queries.map((doc) => doc.spec)).toMatchObject([
      { name: 'uptime', interval: 3600, team: '', logging: 'snapshot' },
    ])
    expect(group.policies.map((doc) => doc.spec)).toMatchObject([
      { name: 'Firewall', team: 'Servers', critical: false },
    ])
    expect(errorOf(() => parse('apiVersion: v1\nkind: query\nspec:\n  name: x\n'))).toMatch(
      /document 1 \(kind "query"\): spec.query: /,
    )
  })

  it('refuses documents without kind or spec (such as GitOps files)', () => {
    const gitops = readFileSync(
      fileURLToPath(
        new URL(
          '../../../../shared/fixtures/gitops/fleet-gitops-starter/teams/workstations.yml',
          import.meta.url,
        ),
      ),
      'utf8',
    )
    expect(errorOf(() => parse(gitops))).toBe(
      'specs.yml: document 1: missing "kind"; missing "spec" (a mapping)',
    )
    expect(errorOf(() => parse('kind: team\n'))).toBe(
      'specs.yml: document 1 (kind "team"): missing "spec" (a mapping)',
    )
    expect(errorOf(() => parse('- a\n- b\n'))).toMatch(/document 1: expected a mapping/)
  })

  it('refuses an apiVersion other than v1', () => {
    expect(errorOf(() => parse('apiVersion: v2\nkind: config\nspec: {}\n'))).toMatch(
      /unsupported apiVersion "v2"/,
    )
  })

  it('reports YAML syntax errors with the document index', () => {
    expect(errorOf(() => parse(`${TEAM_DOC}\n---\nkind: team\nspec: [oops\n`))).toMatch(
      /^specs\.yml: document 2: invalid YAML: /,
    )
  })

  it('points at the invalid field of a team spec', () => {
    const text = `apiVersion: v1
kind: team
spec:
  team:
    name: "  "
    features:
      enable_host_users: "yes"
`
    const message = errorOf(() => parse(text))
    expect(message).toMatch(/^specs\.yml: document 1 \(kind "team"\): /)
    expect(message).toContain('spec.team.name: cannot be empty')
    expect(message).toContain('spec.team.features.enable_host_users')
  })

  it('requires spec.team and reserves team names Fleet reserves', () => {
    expect(errorOf(() => parse('kind: team\nspec:\n  name: x\n'))).toMatch(/missing "spec.team"/)
    expect(errorOf(() => parse('kind: team\nspec:\n  team:\n    name: No team\n'))).toMatch(
      /spec\.team\.name: is a reserved team name/,
    )
  })

  it('drops null keys (Fleet writes them for "unchanged") and lists unsupported ones', () => {
    const [doc] = parse(`kind: team
spec:
  team:
    name: team1
    secrets: null
    scripts: null
    agent_options: null
    software:
      packages: []
`)
    expect(doc).toEqual({
      kind: 'team',
      index: 1,
      spec: { name: 'team1', agent_options: null },
      ignored: ['software'],
    })
  })

  it('validates enroll secrets', () => {
    expect(errorOf(() => parse('kind: enroll_secret\nspec: {}\n'))).toMatch(
      /spec\.secrets: missing "spec.secrets"/,
    )
    expect(
      errorOf(() => parse('kind: enroll_secret\nspec:\n  secrets:\n    - secret: "has space"\n')),
    ).toMatch(/spec\.secrets\.0\.secret: must be printable ASCII without spaces/)
  })

  it("sets aside the server's read-only facts in a config spec", () => {
    const [doc] = parse('kind: config\nspec:\n  license:\n    tier: free\n  features: {}\n')
    expect(doc).toEqual({ kind: 'config', index: 1, spec: { features: {} }, ignored: ['license'] })
  })
})

describe('groupSpecs', () => {
  it('collects teams and refuses a second config or enroll_secret document', () => {
    const group = groupSpecs(
      parse(`${TEAM_DOC}\n---\n${TEAM_DOC.replace('Client', 'Server')}`),
      'f',
    )
    expect(group.teams.map((t) => t.spec.name)).toEqual([
      'Client Platform Engineering',
      'Server Platform Engineering',
    ])
    const twice = parse('kind: config\nspec: {}\n---\nkind: config\nspec: {}\n')
    expect(errorOf(() => groupSpecs(twice, 'f.yml'))).toBe(
      'f.yml: document 2 (kind "config"): only one per file (see document 1)',
    )
  })
})
