import { performance } from 'node:perf_hooks'
import { OSQUERY_PATHS } from '@fleet/api'
import type { HttpClient } from './http-client.js'
import type { Endpoint, SimStats } from './stats.js'

/** Where each endpoint lives (the canonical, unversioned paths). */
export const ENDPOINT_PATHS: Record<Endpoint, string> = {
  enroll: OSQUERY_PATHS.enroll,
  config: OSQUERY_PATHS.config,
  distributed_read: OSQUERY_PATHS.distributedRead,
  distributed_write: OSQUERY_PATHS.distributedWrite,
  log: OSQUERY_PATHS.log,
}

/**
 * What a host needs to know about a call: a 2xx body that matched the schema (and its text, for
 * caching), a `node_invalid` answer (re-enroll), or a failure already counted in the stats.
 */
export type CallResult<T> =
  { kind: 'ok'; body: T; text: string } | { kind: 'node-invalid' } | { kind: 'failed' }

/**
 * Checks a parsed JSON body: the typed value, or undefined when it is not what the API promises.
 * Plain functions rather than zod schemas on the hot path: they run on every check-in.
 */
export type BodyParser<T> = (json: unknown) => T | undefined

/** Calls osquery endpoints and records each outcome and its latency. */
export interface Transport {
  /** POSTs `body`; a 2xx answer that is not JSON or that `parse` rejects is a bad response. */
  call<T>(endpoint: Endpoint, body: string, parse: BodyParser<T>): Promise<CallResult<T>>
}

export function createTransport(http: HttpClient, stats: SimStats): Transport {
  return {
    async call(endpoint, body, parse) {
      const started = performance.now()
      const result = await http.post(ENDPOINT_PATHS[endpoint], body)
      const latencyUs = (performance.now() - started) * 1000
      if (result.kind === 'network-error') {
        stats.record(endpoint, 'network_error', latencyUs, result.message)
        return { kind: 'failed' }
      }
      const json = parseJson(result.text)
      if (isNodeInvalid(json)) {
        stats.record(endpoint, 'node_invalid', latencyUs, `node_invalid: ${result.text}`)
        return { kind: 'node-invalid' }
      }
      if (result.status < 200 || result.status >= 300) {
        stats.record(endpoint, 'http_error', latencyUs, `HTTP ${result.status}: ${result.text}`)
        return { kind: 'failed' }
      }
      const parsed = json === undefined ? undefined : parse(json)
      if (parsed === undefined) {
        stats.record(endpoint, 'bad_response', latencyUs, `unexpected body: ${result.text}`)
        return { kind: 'failed' }
      }
      stats.record(endpoint, 'ok', latencyUs)
      return { kind: 'ok', body: parsed, text: result.text }
    },
  }
}

/** The parsed body, `{}` for an empty one, undefined when it is not JSON. */
function parseJson(text: string): unknown {
  if (text === '{}' || text.trim() === '') {
    return {}
  }
  try {
    const value: unknown = JSON.parse(text)
    return value
  } catch {
    return undefined
  }
}

function isNodeInvalid(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    'node_invalid' in body &&
    body.node_invalid === true
  )
}
