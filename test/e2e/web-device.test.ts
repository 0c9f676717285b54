import { spawn } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FLEET_API, stopAfterTest, stopProcesses } from '@fleet/test-support'
import { FLEETD_BIN, jsonClient, ROOT, waitFor, type RunningServer } from './support.js'
import { useConsoleWorld } from './web/console-world.js'

const PASSWORD = 'web-device-password-1!'
const SECRET = 'web-device-secret'
const RESOLUTION = 'Open System Settings and turn on FileVault.'

/** A process's output so far and how it ended. */
interface Proc {
  output(): string
  exited: Promise<number | null>
}

function fleetd(args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = stopAfterTest(
    spawn(process.execPath, [FLEETD_BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, FLEETD_ENROLL_RETRY_INTERVAL: '1', ...env },
      stdio: 'pipe',
    }),
  )
  let output = ''
  child.stdout.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr.on('data', (c: Buffer) => (output += c.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { output: () => output, exited }
}

/** Every https URL a process printed on a line of its own, in order. */
function printedUrls(output: string): string[] {
  return output.split('\n').filter((line) => /^https:\/\/\S+$/.test(line))
}

/**
 * My device with a real fleetd: `fleetd run --fleet-desktop` and `fleetd desktop` print the URL
 * of this host's page, it opens in Chromium with the device token alone (and never sends the
 * admin's session), refetch shows progress until the host reported, a token rotation is followed,
 * and an expired or unknown token shows a clear page.
 */
describe('My device and fleetd desktop, real processes', { shuffle: false }, () => {
  let dataDir: string
  let server: RunningServer
  let root: string
  let agent: Proc
  let adminToken: string
  const world = useConsoleWorld({
    prefix: 'web-device',
    orgName: 'Device e2e',
    password: PASSWORD,
    enrollSecret: SECRET,
  })
  const openPage = (allow: RegExp[] = []) => world.openPage(allow)

  /** The URL fleetd printed last (after a rotation, the earlier ones no longer open). */
  const myDeviceUrl = () =>
    [...agent.output().matchAll(/My device: (https:\/\/\S+)/g)].map((m) => m[1]).at(-1)

  // After the world's beforeAll (hooks run in order): this host's fleetd and two policies.
  beforeAll(async () => {
    ;({ dataDir, server } = world.current)
    const { api } = world.current
    await api('POST', `${FLEET_API}/global/policies`, { name: 'Always passes', query: 'SELECT 1' })
    await api('POST', `${FLEET_API}/global/policies`, {
      name: 'Disk encrypted (macOS)',
      query: "SELECT 1 FROM os_version WHERE platform = 'darwin'",
      resolution: RESOLUTION,
    })
    const call = jsonClient(server.url, readFileSync(join(dataDir, 'tls', 'server.crt'), 'utf8'))
    const login = await call('POST', `${FLEET_API}/login`, {
      email: 'admin@example.com',
      password: PASSWORD,
    })
    adminToken = String(login.json.token)
    root = mkdtempSync(join(tmpdir(), 'fleetd-desktop-'))
    agent = fleetd([
      'run',
      '--fleet-url',
      server.url,
      '--enroll-secret',
      SECRET,
      '--fleet-certificate',
      join(dataDir, 'tls', 'server.crt'),
      '--root-dir',
      root,
      '--config-interval',
      '1',
      '--fleet-desktop',
    ])
  })
  // Runs before the world's afterAll (after hooks run in reverse): fleetd stops first.
  afterAll(stopProcesses)

  it('fleetd run --fleet-desktop and fleetd desktop print the same My device URL', async () => {
    const url = await waitFor('fleetd run to print the My device URL', async () => myDeviceUrl())
    expect(url).toMatch(new RegExp(`^${server.url}/device/[0-9a-f-]{36}$`))
    const desktop = fleetd(['desktop', '--root-dir', root])
    expect(await desktop.exited).toBe(0)
    expect(printedUrls(desktop.output())).toEqual([url])

    // --open hands the URL to xdg-open (a stand-in here that records what it was given).
    const bin = mkdtempSync(join(tmpdir(), 'fake-opener-'))
    const opened = join(bin, 'opened.txt')
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`)
    chmodSync(join(bin, 'xdg-open'), 0o755)
    const withOpen = fleetd(['desktop', '--root-dir', root, '--open'], {
      PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
    })
    expect(await withOpen.exited).toBe(0)
    expect(await waitFor('xdg-open to be called', async () => readOpened(opened))).toBe(url)
  })

  it('fleetd desktop says what is missing instead of printing a wrong URL', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'fleetd-empty-'))
    const noServer = fleetd(['desktop', '--root-dir', empty])
    expect(await noServer.exited).toBe(2)
    expect(noServer.output()).toContain('no Fleet URL')
    const noToken = fleetd(['desktop', '--root-dir', empty, '--fleet-url', server.url])
    expect(await noToken.exited).toBe(1)
    expect(noToken.output()).toContain('no device token')
    const notHttps = fleetd(['desktop', '--root-dir', root, '--fleet-url', 'http://example.com'])
    expect(await notHttps.exited).not.toBe(0)
    expect(printedUrls(notHttps.output())).toEqual([])
  })

  it('opens My device in Chromium with the token alone: policies, resolution, data collected', async () => {
    const url = await waitFor('the My device URL', async () => myDeviceUrl())
    await waitFor('the host to answer its policies', async () => {
      const call = jsonClient(server.url, readFileSync(join(dataDir, 'tls', 'server.crt'), 'utf8'))
      const res = await call('GET', `${FLEET_API}/device/${url.split('/').pop()}/policies`)
      const policies = (res.json.policies ?? []) as { response: string }[]
      return policies.length === 2 && policies.every((p) => p.response !== '')
    })
    const page = await openPage()
    // An admin signed in to the console in the same browser: My device must not use that session.
    await page.goto(`${server.url}/login`)
    await page.evaluate(`localStorage.setItem('FLEET::auth_token', ${JSON.stringify(adminToken)})`)
    const deviceCalls: Record<string, string>[] = []
    page.on('request', (req) => {
      if (req.url().includes('/api/')) {
        deviceCalls.push(req.headers())
      }
    })
    await page.goto(url)
    await page.getByRole('heading', { name: hostname() }).waitFor()
    const policies = page.getByRole('list', { name: 'Policies' })
    await policies.getByText('Disk encrypted (macOS)').waitFor()
    expect(await policies.getByText('Fail', { exact: true }).count()).toBe(1)
    expect(await policies.getByText('Pass', { exact: true }).count()).toBe(1)
    await page.getByText(RESOLUTION).waitFor()
    await page.getByText('1 policy needs your attention.').waitFor()
    await page.getByRole('heading', { name: 'What data Fleet collects' }).waitFor()
    await world.expectAccessible(page)
    expect(deviceCalls.length).toBeGreaterThan(0)
    expect(deviceCalls.filter((headers) => 'authorization' in headers)).toEqual([])

    await page.getByRole('button', { name: 'Refetch' }).click()
    const progress = page.getByText('Waiting for your device to report…')
    await progress.waitFor()
    expect(await page.getByRole('button', { name: 'Refetching…' }).isDisabled()).toBe(true)
    await progress.waitFor({ state: 'detached', timeout: 60_000 })
    await page.getByRole('button', { name: 'Refetch' }).waitFor()
    await page.context().close()
  }, 90_000)

  it('follows a token rotation: a new URL is printed and opens, the old one says it expired', async () => {
    const first = await waitFor('the My device URL', async () => myDeviceUrl())
    const watcher = fleetd(['desktop', '--root-dir', root, '--watch', '--interval', '0.2'])
    await waitFor('fleetd desktop --watch to print the URL', async () =>
      printedUrls(watcher.output()).includes(first),
    )
    // Orbit rotates a token older than 50 minutes on its next check-in.
    const old = (Date.now() - 51 * 60_000) / 1000
    utimesSync(join(root, 'identifier'), old, old)
    const second = await waitFor('fleetd desktop to print the rotated URL', async () =>
      printedUrls(watcher.output()).find((u) => u !== first),
    )
    await waitFor('fleetd run to print the rotated URL', async () =>
      agent.output().includes(`My device: ${second}`),
    )
    // The expired token's 401 is expected (the second URL opens before it is tried).
    const page = await openPage([/401/])
    await page.goto(second)
    await page.getByRole('heading', { name: hostname() }).waitFor()
    await page.goto(first)
    await page.getByRole('heading', { name: 'This link has expired' }).waitFor()
    await page.context().close()
  }, 60_000)

  it('ends a server error on My device in an error with "Try again", not a spinner', async () => {
    const url = await waitFor('the My device URL', async () => myDeviceUrl())
    const page = await openPage([/status of 503/])
    await page.route('**/api/latest/fleet/device/*', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ message: 'the database is not reachable', errors: [] }),
      }),
    )
    await page.goto(url)
    await page.getByText('The server had a problem').waitFor()
    await page.getByText('the database is not reachable').waitFor()
    expect(await page.getByText('Loading your device…').count()).toBe(0)
    expect(await page.getByText('This link has expired').count()).toBe(0)
    await page.unrouteAll()
    await page.getByRole('button', { name: 'Try again' }).click()
    await page.getByRole('heading', { name: hostname() }).waitFor()
    await page.context().close()
  })

  it('shows a clear page for an unknown token', async () => {
    const page = await openPage([/401/])
    await page.goto(`${server.url}/device/not-a-device-token`)
    await page.getByRole('heading', { name: 'This link has expired' }).waitFor()
    await page.getByText('fleetd desktop').waitFor()
    await world.expectAccessible(page)
    await page.context().close()
  })
})

function readOpened(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8') || undefined
  } catch {
    return undefined
  }
}
