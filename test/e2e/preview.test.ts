import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { stopAfterTest, stopProcesses } from '@fleet/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { asRecord, assertBuilt, FLEETCTL_BIN, jsonClient, ROOT } from './support.js'

describe('fleetctl preview (what `npm start` runs)', () => {
  afterEach(stopProcesses)

  it('runs the server, enrolls this machine, configures fleetctl, opens the console, and stops on SIGINT', async () => {
    assertBuilt()
    const home = mkdtempSync(join(tmpdir(), 'preview-home-'))
    const dir = join(home, 'preview')
    // The browser: a script recording the URL it was asked to open (BROWSER, as npm reads it).
    const opened = join(home, 'opened-url')
    const browser = join(home, 'browser.sh')
    writeFileSync(browser, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`)
    chmodSync(browser, 0o755)
    // Not CI, not under tests: as a user's terminal would be.
    const { CI: _ci, VITEST: _vitest, FLEET_NO_OPEN: _noOpen, ...userEnv } = process.env
    const child = stopAfterTest(
      spawn(
        process.execPath,
        [FLEETCTL_BIN, 'preview', '--port', '0', '--preview-data-dir', dir, '--sim-hosts', '3'],
        {
          cwd: ROOT,
          env: {
            ...userEnv,
            BROWSER: browser,
            HOME: home,
            PATH: `${ROOT}node_modules/.bin:${process.env.PATH}`,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      ),
    )
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr.on('data', (c: Buffer) => (output += c.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no preview URL:\n${output}`)), 60_000)
        const check = setInterval(() => {
          const match = /Fleet preview is running at (https:\/\/localhost:\d+)/.exec(output)
          if (match?.[1]) {
            clearInterval(check)
            clearTimeout(timer)
            resolve(match[1])
          }
        }, 100)
      })
      const config = asRecord(parse(readFileSync(join(home, '.fleet', 'config'), 'utf8')))
      const context = asRecord(asRecord(config.contexts).preview)
      expect(context.address).toBe(url)
      const api = jsonClient(url, readFileSync(String(context.rootca), 'utf8'))
      const deadline = Date.now() + 30_000
      let names: unknown[] = []
      while (Date.now() < deadline) {
        const res = await api('GET', '/api/latest/fleet/hosts', undefined, String(context.token))
        names = ((res.json.hosts as Record<string, unknown>[] | undefined) ?? []).map(
          (h) => h.hostname,
        )
        if (names.includes(hostname()) && names.length === 4) {
          break
        }
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
      expect(names).toContain(hostname())
      expect(names).toHaveLength(4)
      expect(output).toContain(`Opened the console in your browser (${browser})`)
      while (!existsSync(opened) || readFileSync(opened, 'utf8') === '') {
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(readFileSync(opened, 'utf8')).toBe(url)
    } finally {
      child.kill('SIGINT')
    }
    expect(await exited).toBe(0)
    expect(output).toContain('stopping the preview')
  })
})
