import fastifyWebsocket from '@fastify/websocket'
import {
  LIVE_QUERY_WEBSOCKET_PATHS,
  LiveQuerySocketAuth,
  LiveQuerySocketSelect,
  type LiveQuerySocketMessage,
} from '@fleet/api'
import type { FastifyRequest } from 'fastify'
import type { RawData, WebSocket } from 'ws'
import type { Authenticate, EndpointRegistrar, RequestCtx } from '../../platform/http/index.js'
import type { CampaignSink, StopStream } from './campaign-stream.js'
import type { LiveQueries } from './create-live-queries.js'
import type { ResultsConnection } from './sockjs-frames.js'
import { registerSockJsResults } from './sockjs.js'

/** A client must authenticate and select a campaign within this long. */
const HANDSHAKE_TIMEOUT_MS = 60_000
/** An unauthenticated client must send `auth` within this long (Fleet's UI sends it at once). */
const AUTH_TIMEOUT_MS = 10_000
/** Connections one address may hold open before authenticating; more are refused at once. */
export const MAX_UNAUTHENTICATED_PER_IP = 16
/** Clients send two small messages; anything bigger is refused by the websocket layer. */
const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024

/**
 * Close codes of a client that left on purpose: normal (the console's Stop), going away (a tab
 * closed) and none given (fleetctl). Anything else, 1006 above all (no close frame: the network
 * or a proxy cut it), is a broken connection whose reader may come back.
 */
const LEFT_ON_PURPOSE = new Set([1000, 1001, 1005])

/** A plain websocket as a results connection (Fleet's `/results/websocket`). */
function plainConnection(socket: WebSocket): ResultsConnection {
  return {
    isOpen: () => socket.readyState === socket.OPEN,
    send: (message) => socket.send(message),
    close: () => socket.close(),
    onMessage: (handle) => socket.on('message', (data: RawData) => handle(text(data))),
    onClose: (handle) => socket.on('close', (code: number) => handle(!LEFT_ON_PURPOSE.has(code))),
  }
}

function text(data: RawData): string {
  if (Array.isArray(data)) {
    return Buffer.concat(data).toString('utf8')
  }
  return Buffer.isBuffer(data)
    ? data.toString('utf8')
    : Buffer.from(new Uint8Array(data)).toString('utf8')
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data)
  } catch {
    return undefined
  }
}

/**
 * One results connection, Fleet's protocol: the client sends `auth` (a session or API token),
 * then `select_campaign`; the server streams `totals`, `status` and `result` messages. Any
 * problem is one `{"type":"error","data":"..."}` and the socket closes. When the client goes
 * away, the campaign ends; when its connection breaks, the campaign waits a while for it.
 */
export function serveResults(
  socket: ResultsConnection,
  request: FastifyRequest,
  authenticate: Authenticate,
  live: LiveQueries,
  pending: PendingByIp,
): void {
  let phase: 'auth' | 'select' | 'streaming' | 'done' = 'auth'
  let ctx: RequestCtx | undefined
  let stop: StopStream | undefined
  const send = (message: LiveQuerySocketMessage) => {
    if (socket.isOpen()) {
      socket.send(JSON.stringify(message))
    }
  }
  const sink: CampaignSink = {
    send,
    close: () => {
      phase = 'done'
      socket.close()
    },
  }
  const fail = (reason: string) => {
    send({ type: 'error', data: reason })
    sink.close()
  }
  if (!pending.enter(request.ip)) {
    fail('too many unauthenticated connections')
    return
  }
  let authenticated = false
  const leavePending = () => {
    if (!authenticated) {
      authenticated = true
      pending.leave(request.ip)
    }
  }
  const authTimer = setTimeout(() => {
    if (phase === 'auth') {
      fail('timed out waiting for auth')
    }
  }, AUTH_TIMEOUT_MS)
  const timer = setTimeout(
    () => fail('timed out waiting for select_campaign'),
    HANDSHAKE_TIMEOUT_MS,
  )

  const onMessage = async (data: string): Promise<void> => {
    if (phase === 'streaming' || phase === 'done') {
      return
    }
    const message = parseJson(data)
    if (phase === 'auth' || !ctx) {
      const auth = LiveQuerySocketAuth.safeParse(message)
      if (!auth.success || auth.data.data.token === '') {
        return fail('no auth token')
      }
      const found = await authenticate(auth.data.data.token)
      if (!found || found.forcePasswordReset) {
        return fail('unauthorized')
      }
      ctx = {
        ...request.ctx,
        authz: { authorizer: request.ctx.authz.authorizer, checked: false, subject: found.authz },
        actor: found.actor,
        sessionId: found.sessionId,
      }
      phase = 'select'
      leavePending()
      return
    }
    const select = LiveQuerySocketSelect.safeParse(message)
    if (!select.success) {
      return fail('expected select_campaign')
    }
    const campaignId = select.data.data.campaign_id
    if (campaignId <= 0) {
      return fail(`${campaignId} is not a valid campaign ID`)
    }
    clearTimeout(timer)
    phase = 'streaming'
    stop = await live.streams.open(ctx, campaignId, sink)
  }

  // Messages are handled one at a time: `select_campaign` often arrives before `auth` is checked.
  let chain = Promise.resolve()
  const then = (step: () => Promise<void>) => {
    chain = chain.then(step).catch((err: unknown) => {
      request.log.error({ err }, 'live query results connection failed')
      fail('internal error')
    })
  }
  socket.onMessage((data) => then(() => onMessage(data)))
  socket.onClose((broken) => {
    clearTimeout(timer)
    clearTimeout(authTimer)
    leavePending()
    phase = 'done'
    then(async () => {
      await stop?.(broken)
      stop = undefined
    })
  })
}

/** Counts each address's connections that have not authenticated yet. */
export class PendingByIp {
  readonly #counts = new Map<string, number>()

  /** Counts one more for `ip`; false (and nothing counted) when it already holds the maximum. */
  enter(ip: string): boolean {
    const count = this.#counts.get(ip) ?? 0
    if (count >= MAX_UNAUTHENTICATED_PER_IP) {
      return false
    }
    this.#counts.set(ip, count + 1)
    return true
  }

  leave(ip: string): void {
    const count = (this.#counts.get(ip) ?? 1) - 1
    if (count <= 0) {
      this.#counts.delete(ip)
    } else {
      this.#counts.set(ip, count)
    }
  }
}

/**
 * `GET /api/{v1,latest}/fleet/results/websocket`: authentication happens inside the socket, so
 * unauthenticated connections are bounded per address and must authenticate within 10 s.
 */
export async function registerLiveQuerySocket(
  r: EndpointRegistrar,
  { live }: { live: LiveQueries },
): Promise<void> {
  await r.app.register(fastifyWebsocket, { options: { maxPayload: MAX_CLIENT_MESSAGE_BYTES } })
  const pending = new PendingByIp()
  for (const url of LIVE_QUERY_WEBSOCKET_PATHS) {
    r.app.get(url, { websocket: true }, (socket, request) => {
      serveResults(plainConnection(socket), request, r.authenticate, live, pending)
    })
  }
  registerSockJsResults(r, (connection, request) =>
    serveResults(connection, request, r.authenticate, live, pending),
  )
}
