import { LIVE_QUERY_WEBSOCKET_PATHS, LiveQuerySocketMessage } from '@fleet/api'
import type { LiveEvent } from './live-results.js'

/** What the socket needs of a browser `WebSocket` (tests pass a fake). */
export interface SocketLike {
  onopen: (() => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: (() => void) | null
  send(text: string): void
  close(code?: number): void
}

export interface CampaignSocketOptions {
  url: string
  /** Read at every (re)connection: the session token for the `auth` message. */
  token: () => string | undefined
  campaignId: number
  onEvent: (event: LiveEvent) => void
  connect?: (url: string) => SocketLike
  /** Runs `run` after `ms`; returns a cancel function. */
  schedule?: (run: () => void, ms: number) => () => void
  /** Waits before each reconnection attempt; when they run out the stream gives up. */
  retryDelaysMs?: readonly number[]
}

/** About a minute of attempts, quick at first: a server restart or a proxy's idle cut. */
export const RETRY_DELAYS_MS: readonly number[] = [500, 1_000, 2_000, 4_000, 8_000, 15_000, 30_000]

export const GAVE_UP =
  'The connection to the server was lost and could not be restored. The results above are all that arrived.'

/** The results websocket on the page's own origin (Fleet's `/api/latest/fleet/results/websocket`). */
export function resultsSocketUrl(location: { protocol: string; host: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${location.host}${LIVE_QUERY_WEBSOCKET_PATHS[0] ?? ''}`
}

/**
 * Reads a campaign over Fleet's results websocket: `auth`, then `select_campaign`, then the
 * server's `totals`, `status` and `result` messages as events. A connection that drops without
 * being stopped is reported and reopened (selecting the same campaign again, which the server
 * keeps for a while after a reader vanishes); an `error` from the server is final. `stop()` closes
 * normally, which tells the server to end the campaign.
 */
export function openCampaignSocket(options: CampaignSocketOptions): { stop(): void } {
  const connect = options.connect ?? browserSocket
  const schedule =
    options.schedule ??
    ((run: () => void, ms: number) => {
      const timer = setTimeout(run, ms)
      return () => clearTimeout(timer)
    })
  const delays = options.retryDelaysMs ?? RETRY_DELAYS_MS
  let socket: SocketLike | undefined
  let attempt = 0
  let done = false
  let cancelRetry: (() => void) | undefined

  const open = () => {
    const current = connect(options.url)
    socket = current
    let opened = false
    current.onopen = () => {
      opened = true
      attempt = 0
      current.send(JSON.stringify({ type: 'auth', data: { token: options.token() ?? '' } }))
      current.send(
        JSON.stringify({ type: 'select_campaign', data: { campaign_id: options.campaignId } }),
      )
      options.onEvent({ type: 'open' })
    }
    current.onmessage = (event) => {
      const message = parseMessage(event.data)
      if (!message || done) {
        return
      }
      if (message.type === 'error') {
        done = true
      }
      options.onEvent({ type: 'message', message })
    }
    current.onclose = () => {
      if (done || socket !== current) {
        return
      }
      if (opened) {
        options.onEvent({ type: 'dropped' })
      }
      const delay = delays[attempt]
      if (delay === undefined) {
        done = true
        options.onEvent({ type: 'gave_up', reason: GAVE_UP })
        return
      }
      attempt += 1
      cancelRetry = schedule(open, delay)
    }
  }
  open()
  return {
    stop() {
      if (done) {
        socket?.close(1000)
        return
      }
      done = true
      cancelRetry?.()
      socket?.close(1000)
      options.onEvent({ type: 'stopped' })
    },
  }
}

/** The browser's `WebSocket` behind {@link SocketLike}. */
function browserSocket(url: string): SocketLike {
  const ws = new WebSocket(url)
  const socket: SocketLike = {
    onopen: null,
    onmessage: null,
    onclose: null,
    send: (text) => ws.send(text),
    close: (code) => ws.close(code),
  }
  ws.onopen = () => socket.onopen?.()
  ws.onmessage = (event) => socket.onmessage?.({ data: event.data })
  ws.onclose = () => socket.onclose?.()
  return socket
}

function parseMessage(data: unknown): LiveQuerySocketMessage | undefined {
  if (typeof data !== 'string') {
    return undefined
  }
  try {
    const parsed = LiveQuerySocketMessage.safeParse(JSON.parse(data))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
