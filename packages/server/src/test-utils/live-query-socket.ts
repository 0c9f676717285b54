import { LiveQuerySocketMessage } from '@fleet/api'
import WebSocket from 'ws'

/** A results-websocket client for tests: records every message, waits for the ones it needs. */
export class SocketClient {
  readonly messages: LiveQuerySocketMessage[] = []
  readonly #socket: WebSocket
  readonly #waiters = new Set<() => void>()
  readonly closed: Promise<void>
  readonly opened: Promise<void>

  constructor(url: string) {
    this.#socket = new WebSocket(url)
    this.opened = new Promise((resolve, reject) => {
      this.#socket.once('open', () => resolve())
      this.#socket.once('error', reject)
    })
    this.closed = new Promise((resolve) => this.#socket.once('close', () => resolve()))
    this.#socket.on('message', (data: WebSocket.RawData) => {
      this.messages.push(LiveQuerySocketMessage.parse(JSON.parse(String(data))))
      for (const wake of this.#waiters) {
        wake()
      }
    })
  }

  send(message: unknown): void {
    this.#socket.send(JSON.stringify(message))
  }

  /** Opens, authenticates and selects a campaign. */
  async select(token: string, campaignId: number): Promise<void> {
    await this.opened
    this.send({ type: 'auth', data: { token } })
    this.send({ type: 'select_campaign', data: { campaign_id: campaignId } })
  }

  /** The first message of `type` (from the start) matching `match`, waiting up to `timeoutMs`. */
  async waitFor<K extends LiveQuerySocketMessage['type']>(
    type: K,
    match: (message: Extract<LiveQuerySocketMessage, { type: K }>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Extract<LiveQuerySocketMessage, { type: K }>> {
    const ofType = (
      message: LiveQuerySocketMessage,
    ): message is Extract<LiveQuerySocketMessage, { type: K }> => message.type === type
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.messages.filter(ofType).find(match)
      if (found) {
        return found
      }
      const left = deadline - Date.now()
      if (left <= 0) {
        throw new Error(`no matching message; got ${JSON.stringify(this.messages)}`)
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake)
          clearTimeout(timer)
          resolve()
        }
        const timer = setTimeout(wake, left)
        this.#waiters.add(wake)
      })
    }
  }

  close(): void {
    this.#socket.close()
  }

  /** Cuts the connection without a close frame, as a failing network does (the server sees 1006). */
  drop(): void {
    this.#socket.terminate()
  }
}
