import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stopProcesses } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse, parseAllDocuments } from 'yaml'
import { assertBuilt, fleetctlIn, startFleetServer, type RunningServer } from './support.js'

// The built fleetctl against a real `fleet serve`: apply, get and delete of 2017 packs.

const SPECS = `---
apiVersion: v1
kind: query
spec:
  name: Uptime
  query: SELECT * FROM uptime
---
apiVersion: v1
kind: pack
spec:
  name: Baseline
  description: What every host runs
  targets:
    labels:
      - All Hosts
  queries:
    - query: Uptime
      name: uptime
      interval: 300
      snapshot: true
`

let dir: string
let server: RunningServer | undefined

const { run, ok } = fleetctlIn(
  () => dir,
  () => server,
)

describe('fleetctl packs against fleet serve', { shuffle: false }, () => {
  beforeAll(async () => {
    assertBuilt()
    dir = await mkdtemp(join(tmpdir(), 'fleet-e2e-packs-'))
    server = await startFleetServer(join(dir, 'data'))
    await ok('config', 'set', '--address', server.url, '--tls-skip-verify')
    await ok(
      ...['setup', '--email', 'admin@example.com', '--name', 'Admin'],
      ...['--password', 'admin-p4ssw0rd!', '--org-name', 'Packs Org'],
    )
  })

  afterAll(async () => {
    await stopProcesses()
    await server?.stop()
    if (dir) {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('applies a query and a pack that uses it', async () => {
    const path = join(dir, 'packs.yml')
    await writeFile(path, SPECS)
    expect(await ok('apply', '-f', path)).toBe('[+] applied 1 queries\n[+] applied 1 packs\n')
  })

  it('lists packs as a table and prints one as an appliable spec', async () => {
    const table = await ok('get', 'packs')
    expect(table).toMatch(/\| *NAME *\| *PLATFORM *\| *DESCRIPTION *\| *DISABLED *\|/)
    expect(table).toMatch(/\| *Baseline *\| *\| *What every host runs *\| *false *\|/)
    expect(table).toContain('Found 1 2017 "Packs".')
    const doc: unknown = parse((await ok('get', 'pack', 'Baseline')).replace(/^---\n/, ''))
    expect(doc).toMatchObject({
      apiVersion: 'v1',
      kind: 'pack',
      spec: {
        name: 'Baseline',
        targets: { labels: ['All Hosts'], teams: [] },
        queries: [{ query: 'Uptime', name: 'uptime', interval: 300, snapshot: true }],
      },
    })
  })

  it('prints the queries packs use with --with-queries, and round-trips through apply', async () => {
    const yaml = await ok('get', 'packs', '--yaml', '--with-queries')
    const docs = parseAllDocuments(yaml).map((d) => d.toJS() as { kind: string })
    expect(docs.map((d) => d.kind)).toEqual(['pack', 'query'])
    const path = join(dir, 'again.yml')
    await writeFile(path, yaml)
    expect(await ok('apply', '-f', path)).toBe('[+] applied 1 queries\n[+] applied 1 packs\n')
    const json = (await ok('get', 'packs', '--json')).trim().split('\n')
    expect(json.map((line) => (JSON.parse(line) as { kind: string }).kind)).toEqual(['pack'])
  })

  it('deletes the pack of a spec file, and says when it is gone', async () => {
    const path = join(dir, 'packs.yml')
    expect(await ok('delete', '-f', path)).toContain('[+] deleting pack "Baseline"')
    expect(await ok('get', 'packs')).toBe('No 2017 "Packs" found.\n')
    const missing = await run('get', 'pack', 'Baseline')
    expect(missing.code).toBe(1)
  })
})
