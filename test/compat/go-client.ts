import { gunzipSync } from 'node:zlib'
import { Agent, request } from 'undici'
import WebSocket from 'ws'

/**
 * Requests exactly as real fleetctl's Go client sends them (fleetdm/fleet
 * `server/service/client.go`: `DoContext`, `AuthenticatedDo`, `doContextWithBodyAndHeaders`):
 * the body is `json.Marshal(params)` or empty when params is nil, with `Content-Type` and
 * `Accept: application/json`, `Authorization: Bearer <token>` once logged in, and what Go's
 * `net/http` transport adds (`User-Agent: Go-http-client/1.1`, `Accept-Encoding: gzip`, which it
 * decodes transparently).
 */
export interface GoResponse {
  status: number
  /** The decoded JSON body; `undefined` for an empty body. */
  json: unknown
  text: string
}

export interface GoRequest {
  /** The raw query string, as `url.Values.Encode()` would produce it (no leading `?`). */
  query?: string
  /** What Go marshals: `undefined` sends no body at all, as a nil `params` does. */
  body?: unknown
  token?: string
}

export function goClient(baseUrl: string, ca: string) {
  const dispatcher = new Agent({ connect: { ca } })
  const send = async (method: string, path: string, req: GoRequest = {}): Promise<GoResponse> => {
    const headers: Record<string, string> = {
      'user-agent': 'Go-http-client/1.1',
      'accept-encoding': 'gzip',
      'content-type': 'application/json',
      accept: 'application/json',
    }
    if (req.token !== undefined) {
      headers.authorization = `Bearer ${req.token}`
    }
    const url = `${baseUrl}${path}${req.query ? `?${req.query}` : ''}`
    const res = await request(url, {
      method: method as 'GET',
      dispatcher,
      headers,
      body: req.body === undefined ? '' : JSON.stringify(req.body),
    })
    const raw = Buffer.from(await res.body.arrayBuffer())
    const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString(
      'utf8',
    )
    let json: unknown
    if (text !== '') {
      try {
        json = JSON.parse(text)
      } catch {
        json = undefined
      }
    }
    return { status: res.statusCode, json, text }
  }
  return { send, close: () => dispatcher.close() }
}

/**
 * What `parseResponse` (fleetdm/fleet `server/service/base_client.go`) accepts: any 2xx, and
 * unless it is 204 a body `json.Unmarshal` can decode into the response struct (an object).
 */
export function decodedByGo(res: GoResponse): Record<string, unknown> {
  if (res.status < 200 || res.status >= 300) {
    throw new Error(`fleetctl would fail: HTTP ${res.status} ${res.text}`)
  }
  if (res.status === 204) {
    return {}
  }
  if (typeof res.json !== 'object' || res.json === null || Array.isArray(res.json)) {
    throw new Error(`fleetctl cannot decode the body: ${JSON.stringify(res.text)}`)
  }
  return res.json as Record<string, unknown>
}

export interface WsMessage {
  type: string
  data: unknown
}

/**
 * `LiveQueryWithContext` (fleetdm/fleet `server/service/client_live_query.go`): dials
 * `wss://…/api/latest/fleet/results/websocket`, writes `{"type":"auth","data":{"token":…}}` then
 * `{"type":"select_campaign","data":{"campaign_id":…}}`, and reads messages whose type must be
 * `result`, `totals` or `status` (anything else is "unknown msg type"). Collects messages until
 * `done` says so, or rejects after `timeoutMs`.
 */
export function followCampaign(
  baseUrl: string,
  ca: string,
  token: string,
  campaignId: number,
  done: (messages: readonly WsMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<WsMessage[]> {
  const url = new URL('/api/latest/fleet/results/websocket', baseUrl)
  url.protocol = 'wss:'
  const socket = new WebSocket(url, { ca, headers: { 'user-agent': 'Go-http-client/1.1' } })
  const messages: WsMessage[] = []
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.terminate()
      reject(new Error(`campaign ${campaignId} incomplete: ${JSON.stringify(messages)}`))
    }, timeoutMs)
    const finish = (err?: Error): void => {
      clearTimeout(timer)
      socket.close()
      if (err) {
        reject(err)
      } else {
        resolve(messages)
      }
    }
    socket.once('open', () => {
      socket.send(JSON.stringify({ type: 'auth', data: { token } }))
      socket.send(JSON.stringify({ type: 'select_campaign', data: { campaign_id: campaignId } }))
    })
    socket.on('message', (raw: Buffer) => {
      const msg = JSON.parse(raw.toString('utf8')) as WsMessage
      messages.push(msg)
      if (done(messages)) {
        finish()
      }
    })
    socket.once('error', (err) => finish(err))
    socket.once('close', () => finish(new Error(`socket closed: ${JSON.stringify(messages)}`)))
  })
}
