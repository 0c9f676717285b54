import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitFor } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, type CliIo } from './cli.js'
import { FakeFleet, SECRET } from './test-utils/fake-fleet.js'

function captureIo(): CliIo & { out: () => string; err: () => string; stop: () => void } {
  let out = ''
  let err = ''
  let handler: (() => void) | undefined
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    onStopRequest: (h) => {
      handler = h
      return () => {
        handler = undefined
      }
    },
    out: () => out,
    err: () => err,
    stop: () => handler?.(),
  }
}

describe('fleet-sim CLI', () => {
  const fleet = new FakeFleet()
  let url: string

  beforeAll(async () => {
    url = await fleet.listen()
  })
  afterAll(() => fleet.close())

  it('runs for --duration and prints interval and summary stats as JSON lines', async () => {
    const io = captureIo()
    const code = await runCli(
      [
        ...['--server-url', url, '--enroll-secret', SECRET, '--host-count', '4'],
        ...['--os-templates', 'windows_11:1,ubuntu_22.04:1', '--start-period', '0.2'],
        ...['--query-interval', '0.2', '--logger-interval', '0.3', '--config-interval', '1'],
        ...['--duration', '1.2', '--stats-interval', '0.5', '--seed', '3', '--json'],
      ],
      io,
    )
    expect(code).toBe(0)
    expect(io.err()).toMatch(
      /4 hosts \(windows_11:1,ubuntu_22\.04:1\) → http:\/\/127\.0\.0\.1:\d+, seed 3/,
    )
    const lines = io
      .out()
      .trim()
      .split('\n')
      .map((line): unknown => JSON.parse(line))
    expect(lines.length).toBeGreaterThanOrEqual(3)
    expect(lines.at(-1)).toMatchObject({
      type: 'summary',
      hosts: 4,
      enrolled: 4,
      endpoints: { enroll: { requests: 4, ok: 4 } },
    })
    expect(lines[0]).toMatchObject({ type: 'interval', all: { requests: expect.any(Number) } })
  })

  it('stops on a stop request and prints a text summary', async () => {
    const io = captureIo()
    const keysBefore = fleet.usedKeys.size
    const run = runCli(
      ['--server-url', url, '--enroll-secret', SECRET, '--host-count', '2', '--start-period', '0'],
      io,
    )
    // Both hosts have enrolled once each has called with its node key.
    await waitFor('both hosts to check in', () => fleet.usedKeys.size >= keysBefore + 2)
    io.stop()
    expect(await run).toBe(0)
    expect(io.out()).toMatch(/^summary after \d+\.\ds enrolled 2\/2/)
    expect(io.out()).toMatch(/\ndistributed_read\s+\d/)
  })

  it('--delivered-results writes exactly the result lines the server acknowledged', async () => {
    // A log request that fails is not acknowledged: its lines are sent again and written once.
    const failing = new FakeFleet({ failLog: 1 })
    const failingUrl = await failing.listen()
    const dir = mkdtempSync(join(tmpdir(), 'fleet-sim-delivered-'))
    const file = join(dir, 'delivered.jsonl')
    try {
      const code = await runCli(
        [
          ...['--server-url', failingUrl, '--enroll-secret', SECRET, '--host-count', '2'],
          ...['--start-period', '0', '--query-interval', '0.2', '--logger-interval', '0.2'],
          ...['--duration', '1.5', '--seed', '5', '--delivered-results', file],
        ],
        captureIo(),
      )
      expect(code).toBe(0)
      const acknowledged = failing.logs
        .filter((log) => log.log_type === 'result')
        .flatMap((log) => log.data.map((entry) => JSON.stringify(entry)))
      const written = readFileSync(file, 'utf8').trim().split('\n')
      expect(acknowledged.length).toBeGreaterThan(0)
      expect(written.map((line) => JSON.stringify(JSON.parse(line)))).toEqual(acknowledged)
    } finally {
      await failing.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('fails with usage errors and unknown templates', async () => {
    const missing = captureIo()
    expect(await runCli(['--host-count', '2'], missing)).toBe(1)
    expect(missing.err()).toMatch(/--enroll-secret/)

    const bad = captureIo()
    expect(await runCli(['--enroll-secret', 'x', '--host-count', 'many'], bad)).toBe(1)
    expect(bad.err()).toMatch(/whole number/)

    const unknown = captureIo()
    const args = ['--server-url', url, '--enroll-secret', SECRET, '--os-templates', 'beos_5']
    expect(await runCli(args, unknown)).toBe(1)
    expect(unknown.err()).toMatch(/no OS template "beos_5"/)
  })

  it('--apple-devices alone simulates only Macs, starts the fake APNs, and prints MDM stats', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-sim-apns-'))
    try {
      const io = captureIo()
      // nothing listens on port 1: enrollment fails and is counted
      const args = ['--server-url', 'https://127.0.0.1:1', '--enroll-secret', SECRET]
      args.push('--apple-devices', '2')
      const apns = ['--apns-listen', '0', '--apns-dir', dir, '--start-period', '0']
      expect(await runCli([...args, ...apns, '--duration', '0.5', '--json'], io)).toBe(0)
      expect(io.err()).toMatch(/fake APNs on https:\/\/127\.0\.0\.1:\d+ \(topic com\.apple\.mgmt\./)
      expect(io.err()).toContain(`NODE_EXTRA_CA_CERTS=${join(dir, 'ca.pem')}`)
      expect(io.err()).toContain('fleetctl mdm upload-apns-certificate')
      expect(io.err()).not.toMatch(/hosts \(/) // no osquery hosts
      const summary = io
        .out()
        .trim()
        .split('\n')
        .map((line): unknown => JSON.parse(line))
        .at(-1)
      expect(summary).toMatchObject({ type: 'mdm-summary', devices: 2, enrolled: 0 })
      expect(readFileSync(join(dir, 'push.pem'), 'utf8')).toContain('BEGIN CERTIFICATE')

      // a second run reuses the PKI, so a Fleet set up once keeps working
      const again = captureIo()
      expect(await runCli([...args, ...apns, '--duration', '0.1'], again)).toBe(0)
      expect(again.err()).toContain('reused')
      expect(again.out()).toContain('mdm enrolled 0/2')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses an unknown Apple answer mode', async () => {
    const io = captureIo()
    const args = ['--server-url', url, '--enroll-secret', SECRET, '--apple-devices', '2']
    expect(await runCli([...args, '--apple-answer-mode', 'sleepy:0.5'], io)).toBe(1)
    expect(io.err()).toMatch(/invalid answer mode "sleepy:0.5"/)
  })
})
