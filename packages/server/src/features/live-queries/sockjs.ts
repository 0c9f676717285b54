import { randomInt } from 'node:crypto'
import { FLEET_API_VERSIONS } from '@fleet/api'
import type { FastifyRequest } from 'fastify'
import type { RawData, WebSocket } from 'ws'
import type { EndpointRegistrar } from '../../platform/http/index.js'
import { decodeClientFrame, HEARTBEAT_MS, type ResultsConnection } from './sockjs-frames.js'
import { registerSockJsHttp } from './sockjs-http.js'

function text(data: RawData): string {
  if (Array.isArray(data)) {
    return Buffer.concat(data).toString('utf8')
  }
  return Buffer.isBuffer(data)
    ? data.toString('utf8')
    : Buffer.from(new Uint8Array(data)).toString('utf8')
}

/**
 * A websocket speaking SockJS's framing as a results connection: `o` when it opens, each message
 * as `a["…"]`, `h` every 25 s, and `c[3000,"Go away!"]` before the server closes it.
 */
export function sockJsConnection(socket: WebSocket): ResultsConnection {
  const isOpen = () => socket.readyState === socket.OPEN
  socket.send('o')
  const heartbeat = setInterval(() => {
    if (isOpen()) {
      socket.send('h')
    }
  }, HEARTBEAT_MS)
  heartbeat.unref()
  socket.on('close', () => clearInterval(heartbeat))
  return {
    isOpen,
    send: (message) => socket.send(`a${JSON.stringify([message])}`),
    close: () => {
      if (isOpen()) {
        socket.send('c[3000,"Go away!"]')
      }
      socket.close()
    },
    onMessage: (handle) =>
      socket.on('message', (data: RawData) => {
        const messages = decodeClientFrame(text(data))
        if (messages === undefined) {
          socket.close()
          return
        }
        messages.forEach(handle)
      }),
    // Only the plain websocket keeps a campaign for a reader that comes back.
    onClose: (handle) => socket.on('close', () => handle(false)),
  }
}

/**
 * Fleet's SockJS endpoint for live query results (its web UI uses `sockjs-client`):
 * `GET /api/{v}/fleet/results/info`, the websocket transport at
 * `/api/{v}/fleet/results/{server}/{session}/websocket`, and the xhr-streaming and xhr-polling
 * transports a client falls back to when a proxy blocks websockets (`sockjs-http.ts`), all
 * carrying the same messages as the plain results websocket.
 */
export function registerSockJsResults(
  r: EndpointRegistrar,
  serve: (connection: ResultsConnection, request: FastifyRequest) => void,
): void {
  for (const version of FLEET_API_VERSIONS) {
    const prefix = `/api/${version}/fleet/results`
    r.app.get(`${prefix}/info`, async (_request, reply) =>
      reply
        .header('cache-control', 'no-store, no-cache, no-transform, must-revalidate, max-age=0')
        .send({
          websocket: true,
          origins: ['*:*'],
          cookie_needed: false,
          entropy: randomInt(2 ** 31),
        }),
    )
    r.app.get(`${prefix}/:server/:session/websocket`, { websocket: true }, (socket, request) => {
      serve(sockJsConnection(socket), request)
    })
    registerSockJsHttp(r, prefix, serve)
  }
}
