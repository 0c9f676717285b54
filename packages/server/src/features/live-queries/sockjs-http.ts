import type { ServerResponse } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { EndpointRegistrar } from '../../platform/http/index.js'
import { decodeClientFrame, HEARTBEAT_MS, type ResultsConnection } from './sockjs-frames.js'

/** A session no request has been receiving for this long is over (SockJS's disconnect delay). */
const DISCONNECT_DELAY_MS = 5_000
/** An xhr-streaming response is ended after this many bytes; the client opens another. */
const STREAMING_RESPONSE_LIMIT = 128 * 1024
/** 2 KiB of `h` before the first frame, so browsers hand over a streaming response at once. */
const STREAMING_PRELUDE = `${'h'.repeat(2048)}\n`
/** Client frames are two small messages; as on the websocket path. */
const MAX_SEND_BYTES = 64 * 1024
const GO_AWAY = 'c[3000,"Go away!"]'
const ANOTHER_CONNECTION = 'c[2010,"Another connection still open"]'

/** The request receiving a session's frames: one frame per poll, or a stream of them. */
interface Receiver {
  /** Writes one frame; false when the receiver is done after it (a poll, a full stream). */
  write(frame: string): boolean
  end(): void
}

function pollReceiver(res: ServerResponse): Receiver {
  return {
    write: (frame) => {
      res.end(`${frame}\n`)
      return false
    },
    end: () => res.end(),
  }
}

function streamReceiver(res: ServerResponse): Receiver {
  let written = 0
  res.write(STREAMING_PRELUDE)
  return {
    write: (frame) => {
      res.write(`${frame}\n`)
      written += frame.length + 1
      if (written < STREAMING_RESPONSE_LIMIT) {
        return true
      }
      res.end()
      return false
    },
    end: () => res.end(),
  }
}

/**
 * One SockJS session over HTTP requests: frames queue until a receiving request (xhr poll or
 * xhr-streaming response) is attached; messages come in through `xhr_send`. It ends when the
 * results protocol closes it or when no request has been receiving for 5 s.
 */
class HttpSession implements ResultsConnection {
  #state: 'new' | 'open' | 'closed' = 'new'
  #queue: string[] = []
  #receiver: Receiver | undefined
  readonly #messageHandlers: ((text: string) => void)[] = []
  readonly #closeHandlers: ((broken: boolean) => void)[] = []
  #abandonTimer: NodeJS.Timeout | undefined
  readonly #heartbeat: NodeJS.Timeout

  constructor(
    readonly ip: string,
    private readonly forget: () => void,
  ) {
    this.#heartbeat = setInterval(() => this.#write('h'), HEARTBEAT_MS)
    this.#heartbeat.unref()
    this.#waitForReceiver()
  }

  isOpen(): boolean {
    return this.#state !== 'closed'
  }

  send(message: string): void {
    if (this.isOpen()) {
      this.#queue.push(message)
      this.#flush()
    }
  }

  close(): void {
    this.#end()
    this.#flush()
  }

  onMessage(handle: (text: string) => void): void {
    this.#messageHandlers.push(handle)
  }

  onClose(handle: (broken: boolean) => void): void {
    this.#closeHandlers.push(handle)
  }

  /** Messages from `xhr_send`; false when the session is over. */
  receive(messages: string[]): boolean {
    if (!this.isOpen()) {
      return false
    }
    for (const message of messages) {
      this.#messageHandlers.forEach((handle) => handle(message))
    }
    return true
  }

  /** Makes `receiver` the session's receiving request, or answers it at once. */
  attach(receiver: Receiver, res: ServerResponse): void {
    if (this.#receiver) {
      receiver.write(ANOTHER_CONNECTION)
      return
    }
    clearTimeout(this.#abandonTimer)
    this.#receiver = receiver
    res.once('close', () => {
      if (this.#receiver === receiver) {
        this.#receiver = undefined
        this.#waitForReceiver()
      }
    })
    if (this.#state === 'new') {
      this.#state = 'open'
      this.#write('o')
    }
    this.#flush()
  }

  #flush(): void {
    if (this.#queue.length > 0 && this.#receiver) {
      const messages = this.#queue
      this.#queue = []
      this.#write(`a${JSON.stringify(messages)}`)
    }
    // Once closed, what is queued goes first; then each receiving request gets the close frame.
    const receiver = this.#receiver
    if (this.#state === 'closed' && receiver && this.#queue.length === 0) {
      this.#receiver = undefined
      if (receiver.write(GO_AWAY)) {
        receiver.end()
      }
      this.#waitForReceiver()
    }
  }

  #write(frame: string): void {
    const receiver = this.#receiver
    if (receiver && !receiver.write(frame)) {
      this.#receiver = undefined
      this.#waitForReceiver()
    }
  }

  /** Ends the session unless a request comes to receive within the disconnect delay. */
  #waitForReceiver(): void {
    clearTimeout(this.#abandonTimer)
    this.#abandonTimer = setTimeout(() => {
      this.#end()
      this.forget()
    }, DISCONNECT_DELAY_MS)
    this.#abandonTimer.unref()
  }

  #end(): void {
    if (this.#state === 'closed') {
      return
    }
    this.#state = 'closed'
    clearInterval(this.#heartbeat)
    // SockJS sessions end as before: their campaign ends with them.
    this.#closeHandlers.forEach((handle) => handle(false))
  }

  /** The server is stopping: ends the receiving request, if any. */
  shutDown(): void {
    clearTimeout(this.#abandonTimer)
    this.#end()
    this.#receiver?.end()
    this.#receiver = undefined
  }
}

/** SockJS's server and session path segments: non-empty, no dots. */
const SEGMENT = /^[^./]+$/

interface SessionParams {
  server: string
  session: string
}

function headers(request: FastifyRequest): Record<string, string> {
  const origin = request.headers.origin
  return {
    'cache-control': 'no-store, no-cache, no-transform, must-revalidate, max-age=0',
    'access-control-allow-origin': origin && origin !== 'null' ? origin : '*',
    'access-control-allow-credentials': 'true',
  }
}

/**
 * SockJS's HTTP transports, which `sockjs-client` falls back to when a proxy blocks websockets
 * (Fleet's Go SockJS server enables them all): xhr-streaming (`POST …/xhr_streaming`),
 * xhr-polling (`POST …/xhr`) and the messages both send (`POST …/xhr_send`). Each session is
 * served by `serve`, as a websocket connection is: the same authentication and per-address caps.
 * A session answers only requests from the address that opened it.
 */
export function registerSockJsHttp(
  r: EndpointRegistrar,
  prefix: string,
  serve: (connection: ResultsConnection, request: FastifyRequest) => void,
): void {
  const sessions = new Map<string, HttpSession>()
  // Before the server stops accepting: an open streaming response would hold its close.
  r.app.addHook('preClose', async () => {
    for (const session of sessions.values()) {
      session.shutDown()
    }
    sessions.clear()
  })
  const find = (request: FastifyRequest<{ Params: SessionParams }>) => {
    const { server, session } = request.params
    const found = sessions.get(session)
    return SEGMENT.test(server) && found?.ip === request.ip ? found : undefined
  }
  const receive =
    (makeReceiver: (res: ServerResponse) => Receiver) =>
    (request: FastifyRequest<{ Params: SessionParams }>, reply: FastifyReply): void => {
      const { server, session: id } = request.params
      let session = sessions.get(id)
      if (!SEGMENT.test(server) || !SEGMENT.test(id) || (session && session.ip !== request.ip)) {
        void reply.code(404).send()
        return
      }
      reply.hijack()
      const res = reply.raw
      res.writeHead(200, {
        ...headers(request),
        'content-type': 'application/javascript; charset=UTF-8',
      })
      if (!session) {
        const created = new HttpSession(request.ip, () => {
          if (sessions.get(id) === created) {
            sessions.delete(id)
          }
        })
        sessions.set(id, created)
        session = created
        session.attach(makeReceiver(res), res)
        serve(created, request)
        return
      }
      session.attach(makeReceiver(res), res)
    }
  const preflight = async (request: FastifyRequest, reply: FastifyReply) =>
    reply
      .code(204)
      .headers({
        ...headers(request),
        'access-control-allow-methods': 'OPTIONS, POST',
        'access-control-max-age': '31536000',
      })
      .send()

  for (const transport of ['xhr', 'xhr_streaming', 'xhr_send']) {
    r.app.options(`${prefix}/:server/:session/${transport}`, preflight)
  }
  r.app.post(`${prefix}/:server/:session/xhr`, receive(pollReceiver))
  r.app.post(`${prefix}/:server/:session/xhr_streaming`, receive(streamReceiver))
  r.app.post<{ Params: SessionParams }>(
    `${prefix}/:server/:session/xhr_send`,
    { bodyLimit: MAX_SEND_BYTES },
    async (request, reply) => {
      const session = find(request)
      if (!session) {
        return reply.code(404).send()
      }
      const body = request.body
      const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body)
      if (text === '') {
        return reply.code(500).type('text/plain').send('Payload expected.')
      }
      const messages = decodeClientFrame(text)
      if (messages === undefined) {
        return reply.code(500).type('text/plain').send('Broken JSON encoding.')
      }
      if (!session.receive(messages)) {
        return reply.code(404).send()
      }
      return reply.code(204).headers(headers(request)).type('text/plain; charset=UTF-8').send()
    },
  )
}
