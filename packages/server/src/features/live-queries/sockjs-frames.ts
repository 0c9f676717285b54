/** SockJS pieces both its websocket and its HTTP transports use. */

/** What the results protocol needs of a connection: a plain websocket or a SockJS session. */
export interface ResultsConnection {
  isOpen(): boolean
  send(text: string): void
  close(): void
  onMessage(handle: (text: string) => void): void
  /** `broken`: the connection failed rather than being closed by the client. */
  onClose(handle: (broken: boolean) => void): void
}

/** SockJS clients expect a heartbeat frame at least this often (the protocol's default). */
export const HEARTBEAT_MS = 25_000

/**
 * The messages in one client frame: a JSON array of strings (what `sockjs-client` sends) or one
 * JSON string; anything else is not SockJS and ends the session.
 */
export function decodeClientFrame(frame: string): string[] | undefined {
  if (frame === '') {
    return []
  }
  try {
    const value: unknown = JSON.parse(frame)
    if (typeof value === 'string') {
      return [value]
    }
    if (Array.isArray(value) && value.every((m): m is string => typeof m === 'string')) {
      return value
    }
  } catch {
    return undefined
  }
  return undefined
}
