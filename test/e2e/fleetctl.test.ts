import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stopProcesses } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse, parseAllDocuments } from 'yaml'
import { assertBuilt, fleetctlIn, startFleetServer, type RunningServer } from './support.js'

// The real `fleet serve` (HTTPS, self-signed certificate, SQLite in a temp dir) driven by the
// built `fleetctl`, step by step: each test builds on the state the previous ones left.

const ADMIN = { email: 'admin@example.com', password: 'admin-p4ssw0rd!' }
const OBSERVER = { email: 'observer@example.com', password: 'observer-p4ssw0rd!' }

const SPECS = `---
apiVersion: v1
kind: team
spec:
  team:
    name: Workstations
    description: Company laptops
    features:
      enable_host_users: false
      enable_software_inventory: true
    host_expiry_settings:
      host_expiry_enabled: true
      host_expiry_window: 30
    secrets:
      - secret: workstations-enroll-secret
---
apiVersion: v1
kind: enroll_secret
spec:
  secrets:
    - secret: global-enroll-secret
`

const LABEL_SPECS = `---
apiVersion: v1
kind: label
spec:
  name: Slack not running
  description: Macs without Slack running
  query: SELECT 1 FROM osquery_info WHERE NOT EXISTS (SELECT 1 FROM processes WHERE name = 'Slack')
  platform: darwin
---
apiVersion: v1
kind: label
spec:
  name: Canaries
  description: Hosts that get changes first
  label_membership_type: manual
  hosts: []
`

let dir: string
let server: RunningServer | undefined

/** fleetctl against the temp config; fails the test with the server's log on a surprise. */
const { run, ok } = fleetctlIn(
  () => dir,
  () => server,
)

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, text)
  return path
}

function specDocs(yaml: string): unknown[] {
  return parseAllDocuments(yaml).map((doc) => doc.toJS())
}

// A walkthrough, in order even under --sequence.shuffle: each step uses what the last left.
describe('fleetctl against fleet serve', { shuffle: false }, () => {
  beforeAll(async () => {
    assertBuilt()
    dir = await mkdtemp(join(tmpdir(), 'fleet-e2e-'))
    server = await startFleetServer(join(dir, 'data'))
  })

  afterAll(async () => {
    await stopProcesses()
    await server?.stop()
    if (dir) {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('points the default context at the server', async () => {
    const url = server?.url ?? ''
    expect(await ok('config', 'set', '--address', url, '--tls-skip-verify')).toContain(
      `[+] Set the address config key to "${url}" in the "default" context`,
    )
  })

  it('refuses the self-signed certificate without --tls-skip-verify', async () => {
    const res = await run(
      '--context',
      'strict',
      'login',
      '--email',
      'x@example.com',
      '--password',
      'x',
    )
    expect(res.code).toBe(1) // no such context yet: tells how to create it
    await ok('--context', 'strict', 'config', 'set', '--address', server?.url ?? '')
    const tls = await run(
      '--context',
      'strict',
      'login',
      '--email',
      'x@example.com',
      '--password',
      'x',
    )
    expect(tls.code).toBe(1)
    expect(tls.stderr).toContain(`TLS connection to Fleet at ${server?.url} failed`)
  })

  it('sets up Fleet and stores the admin token', async () => {
    const out = await ok(
      ...['setup', '--email', ADMIN.email, '--name', 'Admin'],
      ...['--password', ADMIN.password, '--org-name', 'E2E Org'],
    )
    expect(out).toContain('[+] Fleet setup successful and context configured!')
    const config: unknown = parse(await readFile(join(dir, 'config'), 'utf8'))
    expect(config).toMatchObject({
      contexts: { default: { email: ADMIN.email, token: expect.any(String) } },
    })
  })

  it('gets the config as an apply spec', async () => {
    const doc: unknown = parse((await ok('get', 'config')).replace(/^---\n/, ''))
    expect(doc).toMatchObject({
      apiVersion: 'v1',
      kind: 'config',
      spec: { org_info: { org_name: 'E2E Org' } },
    })
    const json: unknown = JSON.parse(await ok('get', 'config', '--json'))
    expect(json).toMatchObject({ kind: 'config', spec: { org_info: { org_name: 'E2E Org' } } })
  })

  it('applies a team spec and an enroll secret spec', async () => {
    const out = await ok('apply', '-f', await file('specs.yml', SPECS))
    expect(out).toBe('[+] applied enroll secrets\n[+] applied 1 teams\n')
    const secrets: unknown = parse((await ok('get', 'enroll_secret')).replace(/^---\n/, ''))
    expect(secrets).toMatchObject({
      kind: 'enroll_secret',
      spec: { secrets: [expect.objectContaining({ secret: 'global-enroll-secret' })] },
    })
  })

  it('round-trips get teams --yaml through apply', async () => {
    const yaml = await ok('get', 'teams', '--yaml')
    expect(specDocs(yaml)).toEqual([
      {
        apiVersion: 'v1',
        kind: 'team',
        spec: {
          team: expect.objectContaining({
            name: 'Workstations',
            description: 'Company laptops',
            features: { enable_host_users: false, enable_software_inventory: true },
            host_expiry_settings: { host_expiry_enabled: true, host_expiry_window: 30 },
          }),
        },
      },
    ])
    expect(await ok('apply', '-f', await file('teams.yml', yaml))).toBe('[+] applied 1 teams\n')
    expect(await ok('get', 'teams', '--yaml')).toBe(yaml)
    expect(await ok('get', 'teams')).toMatch(/\| Workstations +\| +0 \| +0 \|/)
  })

  it('creates an observer, who can log in from a second context', async () => {
    const created = await ok(
      ...['user', 'create', '--name', 'Observer', '--email', OBSERVER.email],
      ...['--password', OBSERVER.password, '--global-role', 'observer', '--api-only'],
    )
    expect(created).toMatch(/^Success! The API token for your new user is: \S+\n$/)
    expect(await ok('get', 'users')).toContain(OBSERVER.email)

    await ok(
      '--context',
      'observer',
      'config',
      'set',
      '--address',
      server?.url ?? '',
      '--tls-skip-verify',
    )
    const login = await ok(
      ...['--context', 'observer', 'login'],
      ...['--email', OBSERVER.email, '--password', OBSERVER.password],
    )
    expect(login).toBe('[+] Fleet login successful and context configured!\n')
    const config: unknown = parse(await readFile(join(dir, 'config'), 'utf8'))
    expect(config).toMatchObject({
      contexts: { default: { email: ADMIN.email }, observer: { email: OBSERVER.email } },
    })
    // Observers may read the org settings.
    expect(await ok('--context', 'observer', 'get', 'config')).toContain('kind: config')
  })

  it('refuses the observer applying a team spec (403), changing nothing', async () => {
    const spec = await file(
      'observer-team.yml',
      'apiVersion: v1\nkind: team\nspec:\n  team:\n    name: Observers Were Here\n',
    )
    const res = await run('--context', 'observer', 'apply', '-f', spec)
    expect(res.code).toBe(1)
    expect(res.stdout).toBe('')
    expect(res.stderr).toMatch(/^Error: applying teams: .*\(status 403\)\n/)
    expect(res.stderr).not.toMatch(/\n\s+at /) // no stack trace
    expect(await ok('get', 'teams')).not.toContain('Observers Were Here')
  })

  it('applies user_roles through POST /users/roles/spec, all or nothing', async () => {
    const roles = (spec: string) =>
      file('roles.yml', `apiVersion: v1\nkind: user_roles\nspec:\n  roles:\n${spec}`)
    const onTeam = await roles(
      `    ${OBSERVER.email}:\n      global_role: null\n      teams:\n` +
        '        - team: Workstations\n          role: observer_plus\n',
    )
    expect(await ok('apply', '-f', onTeam)).toBe('[+] applied user roles of 1 users\n')
    expect(specDocs(await ok('get', 'user_roles', '--yaml'))).toEqual([
      expect.objectContaining({
        spec: {
          roles: expect.objectContaining({
            [OBSERVER.email]: {
              global_role: null,
              teams: [{ team: 'Workstations', role: 'observer_plus' }],
            },
          }),
        },
      }),
    ])
    const unknown = await roles(
      `    ${OBSERVER.email}:\n      global_role: observer\n` +
        '    nobody@example.com:\n      global_role: observer\n',
    )
    const refused = await run('apply', '-f', unknown)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/^Error: applying user roles: .*\(status 404\)\n/)
    expect(await ok('get', 'user_roles', '--yaml')).toContain('role: observer_plus')
    const back = await roles(`    ${OBSERVER.email}:\n      global_role: observer\n`)
    expect(await ok('apply', '-f', back)).toBe('[+] applied user roles of 1 users\n')
  })

  it('deletes the team named in a spec, and refuses to delete config', async () => {
    const config = await file('config.yml', 'apiVersion: v1\nkind: config\nspec: {}\n')
    const refused = await run('delete', '-f', config)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain("config can't be deleted")

    expect(await ok('delete', '-f', join(dir, 'teams.yml'))).toBe(
      '[+] deleting team "Workstations"\n',
    )
    expect(await ok('get', 'teams')).toBe('No teams found\n')
  })

  it('lists no hosts on a server none has enrolled in', async () => {
    expect(await ok('get', 'hosts')).toBe('No hosts found\n')
    expect(await ok('get', 'hosts', '--json')).toBe('')
  })

  it('applies label specs, a dynamic and an empty manual one', async () => {
    expect(await ok('apply', '-f', await file('labels.yml', LABEL_SPECS))).toBe(
      '[+] applied 2 labels\n',
    )
    const table = await ok('get', 'labels')
    expect(table).toMatch(/\| Canaries +\| +\| Hosts that get changes first/)
    expect(table).toContain('| All Hosts ') // builtin: listed here, left out of --yaml
  })

  it('round-trips get labels --yaml through apply, builtin labels left out', async () => {
    const yaml = await ok('get', 'labels', '--yaml')
    const docs = specDocs(yaml)
    expect(docs).toHaveLength(2)
    // In the server's order, whichever that is.
    expect(docs).toEqual(
      expect.arrayContaining([
        {
          apiVersion: 'v1',
          kind: 'label',
          spec: {
            name: 'Slack not running',
            description: 'Macs without Slack running',
            query:
              "SELECT 1 FROM osquery_info WHERE NOT EXISTS (SELECT 1 FROM processes WHERE name = 'Slack')",
            platform: 'darwin',
            label_membership_type: 'dynamic',
          },
        },
        {
          apiVersion: 'v1',
          kind: 'label',
          spec: {
            name: 'Canaries',
            description: 'Hosts that get changes first',
            query: '',
            platform: '',
            label_membership_type: 'manual',
            hosts: [],
          },
        },
      ]),
    )
    expect(await ok('apply', '-f', await file('labels-export.yml', yaml))).toBe(
      '[+] applied 2 labels\n',
    )
    expect(await ok('get', 'labels', '--yaml')).toBe(yaml)
    expect(await ok('get', 'label', 'Canaries')).toContain('label_membership_type: manual\n')
  })

  it('deletes the labels named in the spec file', async () => {
    expect(await ok('delete', '-f', join(dir, 'labels.yml'))).toBe(
      '[+] deleting label "Slack not running"\n[+] deleting label "Canaries"\n',
    )
    expect(await ok('get', 'labels', '--yaml')).toBe('')
    expect(await ok('delete', '-f', join(dir, 'labels.yml'))).toBe(
      '[+] deleting label "Slack not running"\n' +
        `[!] label "Slack not running" doesn't exist\n` +
        '[+] deleting label "Canaries"\n' +
        `[!] label "Canaries" doesn't exist\n`,
    )
  })

  it('logs the observer out', async () => {
    expect(await ok('--context', 'observer', 'logout')).toBe(
      '[+] Fleet logout successful and local token cleared!\n',
    )
    const res = await run('--context', 'observer', 'get', 'teams')
    expect(res.code).toBe(1)
    expect(res.stderr).toContain('Please log in with: fleetctl login --context observer')
  })
})
