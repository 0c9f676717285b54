import { constants, type ClientHttp2Session } from 'node:http2'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import type { Clock } from '../../platform/clock.js'
import type { Log } from '../../platform/logger.js'
import type { ApnsConnections } from './apns-connections.js'
import type { PushTarget } from './enrollment.js'
import { pushTargets, recordPushOutcome } from './enrollments.store.js'
import type { PushCertificateSource, PushResult, Pusher } from './push.js'

/** Apple's production gateway; `mdm.apple_apns_url` overrides it (tests, development gateway). */
export const APNS_PRODUCTION_URL = 'https://api.push.apple.com'

const REQUEST_TIMEOUT_MS = 15_000

export interface ApnsPusherDeps {
  db: Kysely<Database>
  clock: Clock
  log: Log
  certificates: PushCertificateSource
  connections: ApnsConnections
  /** Pushes in flight at once (nanomdm's default is 5). */
  concurrency: number
}

type Answer = { status: number; apnsId: string | undefined; body: string }

/** One `POST /3/device/<token>` with `{"mdm": PushMagic}` on an open connection. */
function send(session: ClientHttp2Session, target: PushTarget): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: `/3/device/${target.tokenHex}`,
      [constants.HTTP2_HEADER_CONTENT_TYPE]: 'application/json',
    })
    let status = 0
    let apnsId: string | undefined
    const chunks: Buffer[] = []
    // With TLS 1.3 a refused client certificate surfaces after the request was sent: the stream
    // just closes without a response. Whatever happens first settles the push.
    const fail = (reason: string) => reject(new Error(reason))
    req.setTimeout(REQUEST_TIMEOUT_MS, () => {
      req.close(constants.NGHTTP2_CANCEL)
      fail('APNs did not answer in time')
    })
    req.on('response', (headers) => {
      status = Number(headers[constants.HTTP2_HEADER_STATUS])
      const id = headers['apns-id']
      apnsId = typeof id === 'string' ? id : undefined
    })
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      if (status === 0) {
        fail('the connection to APNs closed before an answer (client certificate refused?)')
        return
      }
      resolve({ status, apnsId, body: Buffer.concat(chunks).toString('utf8') })
    })
    req.on('close', () => fail(`the connection to APNs closed (HTTP/2 code ${req.rstCode})`))
    req.on('error', reject)
    req.end(JSON.stringify({ mdm: target.pushMagic }))
  })
}

/** Apple's `{"reason": "BadDeviceToken"}`, or the status when the body says nothing. */
function reasonOf(answer: Answer): string {
  try {
    const parsed: unknown = JSON.parse(answer.body)
    if (typeof parsed === 'object' && parsed !== null && 'reason' in parsed) {
      return String(parsed.reason)
    }
  } catch {
    // not JSON: fall through
  }
  return `HTTP ${answer.status}`
}

const SKIPPED = 'unknown, disabled or without a push token'

async function pushOne(deps: ApnsPusherDeps, target: PushTarget): Promise<PushResult> {
  const id = target.enrollmentId
  if (!/^[0-9a-fA-F]+$/.test(target.tokenHex)) {
    return {
      enrollmentId: id,
      outcome: 'failed',
      status: undefined,
      reason: 'push token is not hex',
    }
  }
  const cert = await deps.certificates.pushCertificate(target.topic)
  if (!cert) {
    return {
      enrollmentId: id,
      outcome: 'failed',
      status: undefined,
      reason: `no push certificate for topic ${target.topic}`,
    }
  }
  try {
    const answer = await send(deps.connections.sessionFor(cert), target)
    if (answer.status === 200) {
      return { enrollmentId: id, outcome: 'sent', apnsId: answer.apnsId ?? '' }
    }
    return { enrollmentId: id, outcome: 'failed', status: answer.status, reason: reasonOf(answer) }
  } catch (err) {
    deps.connections.drop(cert.topic) // a broken connection is not reused
    const reason = err instanceof Error ? err.message : String(err)
    return { enrollmentId: id, outcome: 'failed', status: undefined, reason }
  }
}

/** Runs `work` over `items` with at most `limit` at a time, results in input order. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  let nextIndex = 0
  const worker = async (): Promise<void> => {
    while (nextIndex < items.length) {
      const index = nextIndex++
      results[index] = await work(items[index] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/**
 * Records every outcome: one statement per distinct error (a bad certificate fails a whole fleet
 * with one reason), and one warning per distinct error with the enrollments' count and a few ids.
 */
async function record(deps: ApnsPusherDeps, results: PushResult[], at: number): Promise<void> {
  const sent = results.filter((r) => r.outcome === 'sent').map((r) => r.enrollmentId)
  await recordPushOutcome(deps.db, sent, at, null)
  const byError = new Map<string, string[]>()
  for (const r of results) {
    if (r.outcome === 'failed') {
      const text = (r.status === undefined ? r.reason : `${r.status} ${r.reason}`).slice(0, 1000)
      const ids = byError.get(text) ?? []
      ids.push(r.enrollmentId)
      byError.set(text, ids)
    }
  }
  for (const [error, ids] of byError) {
    await recordPushOutcome(deps.db, ids, at, error)
    deps.log.warn({ error, count: ids.length, enrollmentIds: ids.slice(0, 5) }, 'APNs push failed')
  }
}

/**
 * The APNs pusher (reference §2): looks up each enrollment's topic, token and PushMagic, sends
 * one push per enabled enrollment over the topic's cached HTTP/2 connection (client certificate
 * = the topic's push certificate), `concurrency` at a time, and records each outcome on the
 * enrollment (`last_push_at`, `last_push_error`). Tokens and PushMagic are never logged.
 */
export function createApnsPusher(deps: ApnsPusherDeps): Pusher {
  return {
    async push(enrollmentIds) {
      const ids = [...new Set(enrollmentIds)]
      const targets = await pushTargets(deps.db, ids)
      const results = await pool(targets, Math.max(1, deps.concurrency), (t) => pushOne(deps, t))
      await record(deps, results, deps.clock.now().getTime())
      const found = new Set(targets.map((t) => t.enrollmentId))
      const skipped = ids
        .filter((id) => !found.has(id))
        .map((id): PushResult => ({ enrollmentId: id, outcome: 'skipped', reason: SKIPPED }))
      deps.log.debug({ pushed: results.length, skipped: skipped.length }, 'APNs pushes')
      return [...results, ...skipped]
    },
  }
}
