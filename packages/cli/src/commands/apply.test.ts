import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { startFakeFleet, type FakeFleet, type FakeRoutes } from '../test-utils/fake-fleet.js'
import { appConfigFixture, teamFixture } from '../test-utils/fixtures.js'
import { createHarness, type Harness } from '../test-utils/harness.js'
import { FLEET_API } from '@fleet/test-support'

let h: Harness
let fleet: FakeFleet
beforeEach(async () => {
  h = await createHarness()
})
afterEach(async () => {
  await fleet.close()
  await h.cleanup()
})

async function serve(routes: FakeRoutes): Promise<void> {
  fleet = await startFakeFleet(routes)
  await h.login(fleet.url, 'tok')
}

async function specFile(text: string): Promise<string> {
  const path = join(h.dir, 'specs.yml')
  await writeFile(path, text)
  return path
}

const SPECS = `---
apiVersion: v1
kind: team
spec:
  team:
    name: team2
---
apiVersion: v1
kind: team
spec:
  team:
    name: team1
    agent_options:
      config:
        views:
          foo: bar
    secrets:
      - secret: AAA
---
apiVersion: v1
kind: enroll_secret
spec:
  secrets:
    - secret: global-1
---
apiVersion: v1
kind: config
spec:
  org_info:
    org_name: Acme
`

describe('apply', () => {
  it('prints the settings the server stored without effect', async () => {
    await serve({
      [`PATCH ${FLEET_API}/config`]: () => ({
        body: { ...appConfigFixture(), warnings: ['mdm.enable_disk_encryption', 'scripts'] },
      }),
    })
    const spec =
      'kind: config\nspec:\n  mdm:\n    enable_disk_encryption: true\n  scripts: [a.sh]\n'
    const res = await h.fleetctl(['apply', '-f', await specFile(spec)])
    expect(res.code).toBe(0)
    expect(res.out).toBe('[+] applied fleet config\n')
    expect(res.err).toBe(
      '[!] stored, but no effect on this server: mdm.enable_disk_encryption, scripts\n',
    )
  })

  it('applies config, then enroll secrets, then teams, in one request each', async () => {
    await serve({
      [`PATCH ${FLEET_API}/config`]: () => ({ body: appConfigFixture() }),
      [`POST ${FLEET_API}/spec/enroll_secret`]: () => ({ body: {} }),
      [`POST ${FLEET_API}/spec/teams`]: () => ({
        body: { team_ids_by_name: { team1: 1, team2: 2 } },
      }),
    })
    const res = await h.fleetctl(['apply', '-f', await specFile(SPECS)])
    expect(res.err).toBe('')
    expect(res.code).toBe(0)
    expect(res.out).toBe(
      '[+] applied fleet config\n[+] applied enroll secrets\n[+] applied 2 teams\n',
    )
    expect(fleet.requests.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual([
      `PATCH ${FLEET_API}/config?`,
      `POST ${FLEET_API}/spec/enroll_secret?`,
      `POST ${FLEET_API}/spec/teams?`,
    ])
    expect(fleet.requests.map((r) => r.body)).toEqual([
      { org_info: { org_name: 'Acme' } },
      { spec: { secrets: [{ secret: 'global-1' }] } },
      {
        specs: [
          { name: 'team2' },
          {
            name: 'team1',
            agent_options: { config: { views: { foo: 'bar' } } },
            secrets: [{ secret: 'AAA' }],
          },
        ],
      },
    ])
    expect(fleet.requests.every((r) => r.authorization === 'Bearer tok')).toBe(true)
  })

  it('passes --dry-run and --force and says what it would have done', async () => {
    await serve({
      [`PATCH ${FLEET_API}/config`]: () => ({ body: appConfigFixture() }),
      [`POST ${FLEET_API}/spec/enroll_secret`]: () => ({ body: {} }),
      [`POST ${FLEET_API}/spec/teams`]: () => ({ body: { team_ids_by_name: {} } }),
    })
    const res = await h.fleetctl(['apply', '-f', await specFile(SPECS), '--dry-run', '--force'])
    expect(res.out).toBe(
      "[+] would've applied fleet config\n[+] would've applied enroll secrets\n[+] would've applied 2 teams\n",
    )
    expect(fleet.requests.map((r) => r.query.toString())).toEqual([
      'force=true&dry_run=true',
      'dry_run=true',
      'force=true&dry_run=true',
    ])
  })

  it('sends nothing when any document is invalid', async () => {
    await serve({})
    const file = await specFile(`${SPECS}---\napiVersion: v1\nkind: widget\nspec:\n  name: p\n`)
    const res = await h.fleetctl(['apply', '-f', file])
    expect(res.code).toBe(1)
    expect(res.err).toMatch(/^Error: .*specs\.yml: document 5 \(kind "widget"\): unknown kind/)
    expect(fleet.requests).toEqual([])
  })

  it('prints a refusal as Error: with the status and field errors, exit 1', async () => {
    await serve({
      [`POST ${FLEET_API}/spec/teams`]: () => ({
        status: 403,
        body: {
          message: 'forbidden',
          code: 'FORBIDDEN',
          errors: [{ name: 'base', reason: 'forbidden' }],
        },
      }),
    })
    const file = await specFile('kind: team\nspec:\n  team:\n    name: t\n    software: {}\n')
    const res = await h.fleetctl(['apply', '-f', file])
    expect(res.code).toBe(1)
    expect(res.out).toBe('')
    expect(res.err).toBe(
      '[!] document 1 (kind "team"): ignoring unsupported keys: software\n' +
        'Error: applying teams: forbidden (status 403)\n',
    )
  })

  it('names a missing file', async () => {
    await serve({})
    const res = await h.fleetctl(['apply', '-f', 'missing.yml'])
    expect(res.code).toBe(1)
    expect(res.err).toMatch(/^Error: reading missing\.yml: ENOENT/)
  })
})

describe('delete', () => {
  it('deletes teams by name and removes listed secrets from the global set', async () => {
    await serve({
      [`GET ${FLEET_API}/teams`]: (req) => ({
        body: {
          teams: [
            teamFixture({ id: 4, name: 'team1' }),
            teamFixture({ id: 5, name: 'team10' }),
          ].filter((t) => t.name.includes(req.query.get('query') ?? '')),
        },
      }),
      [`DELETE ${FLEET_API}/teams/4`]: () => ({ body: {} }),
      [`GET ${FLEET_API}/spec/enroll_secret`]: () => ({
        body: {
          spec: {
            secrets: ['keep', 'global-1'].map((secret) => ({
              secret,
              created_at: '2024-01-01T00:00:00Z',
              team_id: null,
            })),
          },
        },
      }),
      [`POST ${FLEET_API}/spec/enroll_secret`]: () => ({ body: {} }),
    })
    const file = await specFile(
      'kind: team\nspec:\n  team:\n    name: team1\n---\nkind: team\nspec:\n  team:\n    name: ghost\n' +
        '---\nkind: enroll_secret\nspec:\n  secrets:\n    - secret: global-1\n    - secret: nope\n',
    )
    const res = await h.fleetctl(['delete', '-f', file])
    expect(res.err).toBe('')
    expect(res.out).toBe(
      [
        '[+] deleting team "team1"',
        `[!] team "ghost" doesn't exist`,
        "[!] 1 of the listed enroll secrets don't exist",
        '[+] deleted 1 enroll secrets',
        '',
      ].join('\n'),
    )
    expect(fleet.requests.find((r) => r.method === 'DELETE')?.path).toBe(`${FLEET_API}/teams/4`)
    expect(fleet.requests.at(-1)?.body).toEqual({ spec: { secrets: [{ secret: 'keep' }] } })
  })

  it('refuses a config spec before deleting anything', async () => {
    await serve({})
    const file = await specFile(
      'kind: team\nspec:\n  team:\n    name: t\n---\nkind: config\nspec: {}\n',
    )
    const res = await h.fleetctl(['delete', '-f', file])
    expect(res.code).toBe(1)
    expect(res.err).toMatch(/document 2 \(kind "config"\): config can't be deleted\n$/)
    expect(fleet.requests).toEqual([])
  })
})

describe('get', () => {
  it('prints teams as a table by default and as appliable YAML with --yaml', async () => {
    await serve({
      [`GET ${FLEET_API}/teams`]: () => ({
        body: { teams: [teamFixture({ name: 'team1', host_count: 3 })] },
      }),
    })
    const table = await h.fleetctl(['get', 'teams'])
    expect(table.out).toContain('| TEAM NAME | HOST COUNT | USER COUNT |')
    expect(fleet.requests[0]?.query.toString()).toBe('page=0&per_page=500')
    const yaml = await h.fleetctl(['get', 'teams', '--yaml'])
    expect(parse(yaml.out.replace(/^---\n/, ''))).toMatchObject({
      apiVersion: 'v1',
      kind: 'team',
      spec: { team: { name: 'team1' } },
    })
  })

  it('prints config and enroll secrets as specs', async () => {
    await serve({
      [`GET ${FLEET_API}/config`]: () => ({ body: appConfigFixture() }),
      [`GET ${FLEET_API}/spec/enroll_secret`]: () => ({
        body: {
          spec: { secrets: [{ secret: 'abc', created_at: '2024-01-01T00:00:00Z', team_id: null }] },
        },
      }),
    })
    const config = await h.fleetctl(['get', 'config'])
    expect(config.out.startsWith('---\napiVersion: v1\nkind: config\nspec:\n  org_info:\n')).toBe(
      true,
    )
    expect(config.out).not.toContain('license')
    const json = await h.fleetctl(['get', 'config', '--json', '--include-server-config'])
    expect(JSON.parse(json.out)).toMatchObject({
      kind: 'config',
      spec: { license: { tier: 'premium' } },
    })
    const secrets = await h.fleetctl(['get', 'enroll-secrets'])
    expect(secrets.out).toBe(
      '---\napiVersion: v1\nkind: enroll_secret\nspec:\n  secrets:\n    - secret: abc\n      created_at: 2024-01-01T00:00:00Z\n',
    )
  })

  it('explains an expired session', async () => {
    await serve({
      [`GET ${FLEET_API}/users`]: () => ({
        status: 401,
        body: { message: 'Authentication required', code: 'AUTH_REQUIRED', errors: [] },
      }),
    })
    const res = await h.fleetctl(['get', 'users'])
    expect(res.code).toBe(1)
    expect(res.err).toBe(
      'Error: could not list users: Authentication required (status 401)\nPlease log in with: fleetctl login\n',
    )
  })
})
