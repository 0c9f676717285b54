import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { StdoutDestination } from './stdout-destination.js'
import { safeUrl, WebhookDestination } from './webhook-destination.js'

/** A real local HTTP server standing in for the log receiver. */
describe('WebhookDestination', () => {
  let server: Server
  let url: string
  const received: { body: unknown; contentType: string | undefined }[] = []
  /** Status codes to answer with, in order; 200 once they run out. */
  let answers: number[] = []

  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) {
      chunks.push(chunk as Buffer)
    }
    return Buffer.concat(chunks).toString('utf8')
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      void readBody(req).then((body) => {
        received.push({ body: JSON.parse(body), contentType: req.headers['content-type'] })
        res.statusCode = answers.shift() ?? 200
        res.end('{}')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/logs?token=secret`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
  beforeEach(() => {
    received.length = 0
    answers = []
  })

  const lines = [
    JSON.stringify({ name: 'pack/Global/q', snapshot: [{ a: '1' }] }),
    JSON.stringify({ name: 'pack/Global/q', snapshot: [] }),
  ]
  const at = new Date('2026-11-22T10:00:00.000Z')

  it("POSTs a batch as Fleet's JSON array of {timestamp, details}", async () => {
    const webhook = new WebhookDestination({ url, now: () => at })
    await webhook.write(lines)
    expect(received).toEqual([
      {
        contentType: 'application/json',
        body: [
          { timestamp: '2026-11-22T10:00:00.000Z', details: JSON.parse(lines[0] ?? '') },
          { timestamp: '2026-11-22T10:00:00.000Z', details: JSON.parse(lines[1] ?? '') },
        ],
      },
    ])
  })

  it('retries a 500 and a 429, then delivers', async () => {
    answers = [500, 429]
    const webhook = new WebhookDestination({ url, backoffMs: 5, now: () => at })
    await webhook.write(lines)
    expect(received).toHaveLength(3)
    expect(received[2]?.body).toEqual(received[0]?.body)
  })

  it('gives up after its attempts, and at once on a 4xx', async () => {
    answers = [503, 503, 503]
    const webhook = new WebhookDestination({ url, backoffMs: 5, attempts: 3 })
    await expect(webhook.write(lines)).rejects.toThrow(/answered 503/)
    expect(received).toHaveLength(3)
    received.length = 0
    answers = [400]
    await expect(webhook.write(lines)).rejects.toThrow(/answered 400/)
    expect(received).toHaveLength(1)
  })

  it('fails (without the secret) when nothing listens', async () => {
    const webhook = new WebhookDestination({
      url: 'http://127.0.0.1:1/logs?token=secret',
      backoffMs: 1,
      attempts: 2,
    })
    const error = await webhook.write(lines).catch((err: unknown) => err)
    expect(String(error)).toMatch(/POST http:\/\/127\.0\.0\.1:1\/logs failed/)
    expect(String(error)).not.toContain('secret')
    expect(safeUrl(url)).not.toContain('secret')
  })
})

describe('StdoutDestination', () => {
  it('writes JSON lines to its stream', async () => {
    const stream = new PassThrough()
    const chunks: string[] = []
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')))
    const stdout = new StdoutDestination(stream)
    await stdout.write(['{"a":1}', '{"b":2}'])
    await stdout.write([])
    await stdout.close()
    expect(chunks.join('')).toBe('{"a":1}\n{"b":2}\n')
  })
})
