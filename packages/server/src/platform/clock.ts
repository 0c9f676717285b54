/** Time source passed to services so tests can control it. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** Wire form of a stored millisecond timestamp: RFC 3339 in UTC. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString()
}
