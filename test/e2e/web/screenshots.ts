// `npm run screenshots`: screenshots of the console's main pages into docs/screenshots/, at
// 1280×800 and (for a few) 390×844, against a real fleet serve with simulated hosts. Not a test:
// run it after changing pages and look at the pictures.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { createSimulation } from '../../../packages/sim/src/index.js'
import { adminApi, asRecord, FLEETD_BIN, ROOT, startFleetServer, waitFor } from '../support.js'
import { launchChromium } from './browser.js'
import { shootLiveQuery } from './live-screenshot.js'
import { shootAdminPages } from './screenshots-admin.js'
import { shootMdmPages } from './screenshots-mdm.js'
import { seedQueries, shootQueries } from './screenshots-queries.js'

const OUT = join(ROOT, 'docs', 'screenshots')
const PASSWORD = 'screenshots-password-1!'
const SECRET = 'screenshots-secret'

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true })
  const dataDir = mkdtempSync(join(tmpdir(), 'fleet-screenshots-'))
  const server = await startFleetServer(dataDir)
  const browser = await launchChromium()
  const ca = readFileSync(join(dataDir, 'tls', 'server.crt'), 'utf8')
  const simulation = createSimulation({
    serverUrl: server.url,
    enrollSecret: SECRET,
    ca,
    hostCount: 12,
    osTemplates: [
      { name: 'ubuntu_22.04', weight: 2 },
      { name: 'windows_11', weight: 1 },
      { name: 'mac10.14.6', weight: 1 },
    ],
    startPeriodMs: 500,
    queryIntervalMs: 1000,
    configIntervalMs: 2000,
    loggerIntervalMs: 2000,
    seed: 3,
  })
  let agent: ChildProcess | undefined
  try {
    const api = await adminApi(server, dataDir, {
      password: PASSWORD,
      orgName: 'Acme',
      enrollSecret: SECRET,
    })
    await api('POST', '/api/latest/fleet/teams', { name: 'Workstations' })
    await api('POST', '/api/latest/fleet/global/policies', {
      name: 'Firewall enabled',
      query: "SELECT 1 FROM os_version WHERE platform = 'darwin'",
    })
    await simulation.start()
    await waitFor('the hosts to report', async () => {
      const hosts = (await api('GET', '/api/latest/fleet/hosts')).hosts as unknown[]
      return hosts.length === 12
    })
    const shoot = async (page: Page, path: string, name: string) => {
      await page.goto(`${server.url}${path}`)
      await page.waitForLoadState('networkidle')
      await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: false })
    }
    const desktop = await browser.newContext({
      ignoreHTTPSErrors: true,
      viewport: { width: 1280, height: 800 },
    })
    const page = await desktop.newPage()
    await shoot(page, '/login', 'login')
    await page.getByLabel('Email').fill('admin@example.com')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.waitForURL('**/dashboard')
    await shoot(page, '/dashboard', 'dashboard')
    await shoot(page, '/hosts/manage', 'hosts')
    const first = page.getByRole('table').getByRole('link').first()
    const href = (await first.getAttribute('href')) ?? '/hosts/1'
    await shoot(page, href, 'host')
    await shoot(page, '/policies/manage', 'policies')
    await shoot(page, '/settings/organization', 'org-settings')
    await shoot(page, '/settings/organization/agents', 'agent-options')
    // The editor with the server's errors at their lines.
    const editor = page.getByLabel('Global agent options (YAML)')
    await editor.fill(
      'config:\n  options:\n    distributed_interval: 10\n    not_a_real_option: true\n' +
        'command_line_flags:\n  verbose: "yes please"\n',
    )
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('list', { name: 'Problems' }).waitFor()
    await page.screenshot({ path: join(OUT, 'agent-options-errors.png'), fullPage: false })
    await shoot(page, '/activity', 'activity')
    await shootLiveQuery(page, server.url, 12, OUT, 'live-query')
    await shootAdminPages(api, (path, name) => shoot(page, path, name))
    const queryId = await seedQueries(api, 12)
    await shootQueries(page, server.url, OUT, queryId)
    const token = await page.evaluate("localStorage.getItem('FLEET::auth_token')")
    const phone = await browser.newContext({
      ignoreHTTPSErrors: true,
      viewport: { width: 390, height: 844 },
      isMobile: true,
    })
    const small = await phone.newPage()
    await small.goto(`${server.url}/login`)
    await small.evaluate(`localStorage.setItem('FLEET::auth_token', ${JSON.stringify(token)})`)
    await shoot(small, '/dashboard', 'dashboard-390')
    await shoot(small, '/hosts/manage', 'hosts-390')
    await shootLiveQuery(small, server.url, 12, OUT, 'live-query-390')
    await shoot(small, '/settings/organization/agents', 'agent-options-390')
    await shoot(small, '/labels/manage', 'labels-390')
    await shootQueries(small, server.url, OUT, queryId, '-390')
    await shootMdmPages(
      api,
      { url: server.url, dataDir, secret: SECRET },
      (path, name) => shoot(page, path, name),
      (path, name) => shoot(small, path, name),
    )
    // My device needs a device token, which only a real fleetd registers.
    const agentRoot = mkdtempSync(join(tmpdir(), 'fleetd-screenshots-'))
    agent = spawn(
      process.execPath,
      [
        FLEETD_BIN,
        'run',
        '--fleet-url',
        server.url,
        '--enroll-secret',
        SECRET,
        '--fleet-certificate',
        join(dataDir, 'tls', 'server.crt'),
        '--root-dir',
        agentRoot,
        '--config-interval',
        '1',
      ],
      { stdio: 'ignore' },
    )
    const identifier = join(agentRoot, 'identifier')
    const deviceToken = await waitFor('fleetd to register its device token', async () =>
      existsSync(identifier) ? readFileSync(identifier, 'utf8').trim() : undefined,
    )
    await waitFor('fleetd to answer its policies', async () => {
      const { policies } = await api('GET', `/api/latest/fleet/device/${deviceToken}/policies`)
      return Array.isArray(policies) && policies.every((p) => asRecord(p).response !== '')
    })
    await shoot(page, `/device/${deviceToken}`, 'my-device')
    await shoot(small, `/device/${deviceToken}`, 'my-device-390')
  } finally {
    agent?.kill()
    await simulation.stop().catch(() => undefined)
    await browser.close()
    await server.stop()
  }
}

await main()
