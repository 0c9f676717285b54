import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseAllDocuments } from 'yaml'
import { startFakeFleet, type FakeFleet, type FakeRoutes } from '../test-utils/fake-fleet.js'
import { appConfigFixture, labelSpecFixture } from '../test-utils/fixtures.js'
import { createHarness, type Harness } from '../test-utils/harness.js'
import { FLEET_API } from '@fleet/test-support'

const FORBIDDEN = {
  status: 403,
  body: {
    message: 'forbidden',
    code: 'FORBIDDEN',
    errors: [{ name: 'base', reason: 'forbidden' }],
  },
}
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
  const path = join(h.dir, 'labels.yml')
  await writeFile(path, text)
  return path
}

const LABEL_DOCS = `---
apiVersion: v1
kind: label
spec:
  name: slack_not_running
  query: SELECT 1 FROM processes WHERE name = 'Slack' HAVING COUNT(*) = 0
  platform: darwin
---
apiVersion: v1
kind: label
spec:
  name: Canaries
  description: Hosts that get changes first
  label_membership_type: manual
  hosts:
    - mbp-1.local
    - 2
`
const LABELS = `---\napiVersion: v1\nkind: config\nspec:\n  org_info:\n    org_name: Acme\n${LABEL_DOCS}`

const STORED = [
  labelSpecFixture({ id: 1, name: 'All Hosts', label_type: 'builtin', query: 'SELECT 1' }),
  labelSpecFixture({ id: 2, name: 'slack_not_running', description: '' }),
  labelSpecFixture({
    id: 3,
    name: 'Canaries',
    label_membership_type: 'manual',
    query: '',
    platform: '',
    hosts: [],
  }),
]

describe('apply -f with labels', () => {
  it('applies every label of the file in one request, before the other kinds', async () => {
    await serve({
      [`POST ${FLEET_API}/spec/labels`]: () => ({ body: {} }),
      [`PATCH ${FLEET_API}/config`]: () => ({ body: appConfigFixture() }),
    })
    const res = await h.fleetctl(['apply', '-f', await specFile(LABELS)])
    expect(res.err).toBe('')
    expect(res.out).toBe('[+] applied 2 labels\n[+] applied fleet config\n')
    expect(fleet.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST ${FLEET_API}/spec/labels`,
      `PATCH ${FLEET_API}/config`,
    ])
    expect(fleet.requests[0]?.body).toEqual({
      specs: [
        {
          name: 'slack_not_running',
          description: '',
          query: "SELECT 1 FROM processes WHERE name = 'Slack' HAVING COUNT(*) = 0",
          platform: 'darwin',
          label_membership_type: 'dynamic',
        },
        {
          name: 'Canaries',
          description: 'Hosts that get changes first',
          query: '',
          platform: '',
          label_membership_type: 'manual',
          hosts: ['mbp-1.local', '2'],
        },
      ],
    })
  })

  it('skips labels on --dry-run, as Fleet does', async () => {
    await serve({ [`PATCH ${FLEET_API}/config`]: () => ({ body: appConfigFixture() }) })
    const res = await h.fleetctl(['apply', '-f', await specFile(LABELS), '--dry-run'])
    expect(res.out).toBe(
      "[!] ignoring labels, dry run mode only supported for 'config' and 'team' specs\n" +
        "[+] would've applied fleet config\n",
    )
    expect(fleet.requests.map((r) => r.path)).toEqual([`${FLEET_API}/config`])
  })

  it('prints a 403 as a clean error and stops', async () => {
    await serve({ [`POST ${FLEET_API}/spec/labels`]: () => FORBIDDEN })
    const res = await h.fleetctl(['apply', '-f', await specFile(LABELS)])
    expect(res.code).toBe(1)
    expect(res.out).toBe('')
    expect(res.err).toBe('Error: applying labels: forbidden (status 403)\n')
    expect(fleet.requests).toHaveLength(1)
  })

  it.each([
    [
      'an unknown key',
      '  name: x\n  query: SELECT 1\n  colour: red\n',
      'spec: unknown keys: colour',
    ],
    ['a dynamic label without query', '  name: x\n', 'spec.query: a dynamic label needs a query'],
  ])('refuses %s before any request', async (_what, spec, problem) => {
    await serve({})
    const file = await specFile(`${LABELS}---\napiVersion: v1\nkind: label\nspec:\n${spec}`)
    const res = await h.fleetctl(['apply', '-f', file])
    expect(res.code).toBe(1)
    expect(res.err).toBe(`Error: ${file}: document 4 (kind "label"): ${problem}\n`)
    expect(fleet.requests).toEqual([])
  })
})

describe('get labels', () => {
  beforeEach(async () => {
    await serve({ [`GET ${FLEET_API}/spec/labels`]: () => ({ body: { specs: STORED } }) })
  })

  it("prints Fleet's table of every label", async () => {
    const res = await h.fleetctl(['get', 'labels'])
    expect(res.err).toBe('')
    const lines = res.out.split('\n')
    expect(lines[1]).toMatch(/^\| NAME +\| PLATFORM \| DESCRIPTION +\| QUERY +\|$/)
    expect(res.out).toContain('| All Hosts ')
    expect(res.out).toContain('| Canaries ')
  })

  it('prints appliable YAML without the builtin labels, and everything as JSON', async () => {
    const yaml = await h.fleetctl(['get', 'labels', '--yaml'])
    expect(parseAllDocuments(yaml.out).map((doc) => doc.toJS())).toEqual([
      {
        apiVersion: 'v1',
        kind: 'label',
        spec: {
          name: 'slack_not_running',
          description: '',
          query: STORED[1]?.query,
          platform: 'darwin',
          label_membership_type: 'dynamic',
        },
      },
      {
        apiVersion: 'v1',
        kind: 'label',
        spec: {
          name: 'Canaries',
          description: STORED[2]?.description,
          query: '',
          platform: '',
          label_membership_type: 'manual',
          hosts: [],
        },
      },
    ])
    const json = await h.fleetctl(['get', 'labels', '--json'])
    expect(
      json.out
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual(STORED.map((spec) => ({ apiVersion: 'v1', kind: 'label', spec })))
  })

  it('shows one label by name as a spec, and names a missing one', async () => {
    const one = await h.fleetctl(['get', 'label', 'Canaries'])
    expect(one.out).toBe(
      '---\napiVersion: v1\nkind: label\nspec:\n  name: Canaries\n' +
        `  description: ${STORED[2]?.description}\n  query: ""\n  platform: ""\n` +
        '  label_membership_type: manual\n  hosts: []\n',
    )
    const missing = await h.fleetctl(['get', 'label', 'nope'])
    expect(missing.code).toBe(1)
    expect(missing.err).toBe('Error: label "nope" not found\n')
  })
})

describe('get labels with nothing to show or no permission', () => {
  it('says so in a table, prints nothing as YAML, and reports a 403', async () => {
    let reply: { status?: number; body: unknown } = { body: { specs: [] } }
    await serve({ [`GET ${FLEET_API}/spec/labels`]: () => reply })
    expect((await h.fleetctl(['get', 'labels'])).out).toBe('No labels found\n')
    expect((await h.fleetctl(['get', 'labels', '--yaml'])).out).toBe('')
    reply = FORBIDDEN
    const res = await h.fleetctl(['get', 'labels'])
    expect(res.code).toBe(1)
    expect(res.err).toBe('Error: could not list labels: forbidden (status 403)\n')
  })
})

describe('delete -f with labels', () => {
  it('deletes labels by name, saying which did not exist', async () => {
    await serve({
      [`DELETE ${FLEET_API}/labels/slack_not_running`]: () => ({ body: {} }),
      [`DELETE ${FLEET_API}/labels/Canaries`]: () => ({
        status: 404,
        body: { message: 'label not found', code: 'NOT_FOUND', errors: [] },
      }),
    })
    const res = await h.fleetctl(['delete', '-f', await specFile(LABEL_DOCS)])
    expect(res.err).toBe('')
    expect(res.out).toBe(
      [
        '[+] deleting label "slack_not_running"',
        '[+] deleting label "Canaries"',
        `[!] label "Canaries" doesn't exist`,
        '',
      ].join('\n'),
    )
  })

  it('stops on a 403, and never takes an unknown route for "already gone"', async () => {
    await serve({ [`DELETE ${FLEET_API}/labels/slack_not_running`]: () => FORBIDDEN })
    const file = await specFile(LABEL_DOCS)
    const refused = await h.fleetctl(['delete', '-f', file])
    expect(refused.code).toBe(1)
    expect(refused.err).toBe('Error: deleting label "slack_not_running": forbidden (status 403)\n')
    expect(fleet.requests).toHaveLength(1)

    await fleet.close()
    await serve({})
    const old = await h.fleetctl(['delete', '-f', file])
    expect(old.code).toBe(1)
    expect(old.err).toMatch(/^Error: deleting label "slack_not_running": Resource Not Found/)
  })
})
