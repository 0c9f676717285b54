import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitFor } from '@fleet/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { Backoff, backoffDelay } from '../../transport/backoff.js'
import { LogBuffer, type LogKind } from './log-buffer.js'
import { LogForwarder, type SendOutcome } from './log-forwarder.js'
import { StateStore } from './state-store.js'
import { DaemonLog } from './status-log.js'

const stores: StateStore[] = []
afterEach(() => {
  for (const store of stores.splice(0)) {
    store.close()
  }
})

function setup(outcomes: SendOutcome[], settings = {}) {
  const store = StateStore.open(mkdtempSync(join(tmpdir(), 'osqueryd-fwd-')))
  stores.push(store)
  const buffer = new LogBuffer(store.db, () => ({ maxLines: 0, maxBytes: 0 }))
  const sent: { kind: LogKind; data: unknown[] }[] = []
  const warnings: string[] = []
  const log = new DaemonLog({
    write: (text) => warnings.push(text),
    verbose: () => false,
    stderr: () => ({ enabled: true, minSeverity: 1 }),
    minStatus: () => 3,
  })
  const forwarder = new LogForwarder({
    buffer,
    log,
    random: () => 0,
    settings: () => ({
      periodMs: 10,
      maxLines: 3,
      maxLineSize: 100,
      backoffMaxMs: 1000,
      ...settings,
    }),
    send: async (kind, data) => {
      const outcome = outcomes.shift() ?? 'ok'
      sent.push({ kind, data })
      return outcome
    },
  })
  return { buffer, forwarder, sent, warnings }
}

describe('LogForwarder', () => {
  it('sends at most max_lines per check, results then statuses, each in its own request', async () => {
    const { buffer, forwarder, sent } = setup([])
    buffer.append('result', ['{"r":1}', '{"r":2}'])
    buffer.append('status', ['{"s":1}', '{"s":2}'])
    expect(await forwarder.check()).toBe('sent')
    expect(sent).toEqual([
      { kind: 'result', data: [{ r: 1 }, { r: 2 }] },
      { kind: 'status', data: [{ s: 1 }] },
    ])
    expect(buffer.size()).toBe(1)
    expect(await forwarder.check()).toBe('sent')
    expect(await forwarder.check()).toBe('idle')
  })

  it('keeps every line while the server fails, and sends them once it is back', async () => {
    const { buffer, forwarder, sent } = setup(['failed', 'failed'])
    buffer.append('result', ['{"n":1}'])
    expect(await forwarder.check()).toBe('failed')
    expect(await forwarder.check()).toBe('failed')
    expect(buffer.size()).toBe(1)
    expect(await forwarder.check()).toBe('sent')
    expect(buffer.size()).toBe(0)
    expect(sent.map((s) => s.data)).toEqual([[{ n: 1 }], [{ n: 1 }], [{ n: 1 }]])
  })

  it('keeps statuses when only the status request fails', async () => {
    const { buffer, forwarder } = setup(['ok', 'failed'])
    buffer.append('result', ['{"r":1}'])
    buffer.append('status', ['{"s":1}'])
    expect(await forwarder.check()).toBe('failed')
    expect(buffer.peek(10).map((entry) => entry.kind)).toEqual(['status'])
  })

  it('halves the batch on 413 and drops a single line the server still refuses', async () => {
    const { buffer, forwarder, sent } = setup(['too-large', 'too-large', 'ok'])
    buffer.append('result', ['{"a":1}', '{"b":2}', '{"c":3}'])
    await forwarder.check()
    await forwarder.check()
    expect(sent.map((s) => s.data.length)).toEqual([3, 1])
    expect(buffer.size()).toBe(2)
    // The smaller batch stays until a send succeeds; then full batches again.
    await forwarder.check()
    expect(sent.map((s) => s.data.length)).toEqual([3, 1, 1])
    await forwarder.check()
    expect(sent.map((s) => s.data.length)).toEqual([3, 1, 1, 1])
    expect(buffer.size()).toBe(0)
  })

  it('drops lines over logger_tls_max_linesize and lines that are not JSON', async () => {
    const { buffer, forwarder, sent, warnings } = setup([])
    buffer.append('result', [`{"big":"${'x'.repeat(200)}"}`, 'not json', '{"ok":1}'])
    await forwarder.check()
    expect(sent).toEqual([{ kind: 'result', data: [{ ok: 1 }] }])
    expect(buffer.size()).toBe(0)
    expect(warnings.join('')).toContain('dropped 2 line(s)')
  })

  it('drains before shutdown until empty or out of time', async () => {
    const { buffer, forwarder } = setup([])
    buffer.append(
      'result',
      Array.from({ length: 7 }, (_, i) => JSON.stringify({ i })),
    )
    expect(await forwarder.drain(Date.now() + 1000)).toBe(true)
    expect(buffer.size()).toBe(0)

    const failing = setup(['failed'])
    failing.buffer.append('result', ['{"x":1}'])
    expect(await failing.forwarder.drain(Date.now() + 1000)).toBe(false)
    expect(failing.buffer.size()).toBe(1)
  })

  it('runs on its period, backing off after failures', async () => {
    const { buffer, forwarder, sent } = setup(['failed'], { periodMs: 5, backoffMaxMs: 50 })
    buffer.append('result', ['{"x":1}'])
    const controller = new AbortController()
    const running = forwarder.run(controller.signal)
    await waitFor('the buffer to be sent', () => buffer.size() === 0)
    controller.abort()
    await running
    expect(sent).toHaveLength(2)
    expect(buffer.size()).toBe(0)
  })
})

describe('backoff', () => {
  it('doubles from the base up to the cap, jitter taking up to half off', () => {
    const policy = { baseMs: 1000, maxMs: 10_000 }
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffDelay(n, policy, () => 0))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ])
    expect(backoffDelay(2, policy, () => 1)).toBe(2000)
    expect(backoffDelay(2, policy, () => 0.5)).toBe(3000)
  })

  it('resets after a success', () => {
    const backoff = new Backoff(() => ({ baseMs: 100, maxMs: 1000, jitter: 0 }))
    expect([backoff.fail(), backoff.fail(), backoff.fail()]).toEqual([100, 200, 400])
    backoff.reset()
    expect(backoff.fail()).toBe(100)
    expect(backoff.consecutiveFailures).toBe(1)
  })
})
