import { endpointPaths, type Endpoint } from '@fleet/api'

/**
 * The path the client calls for an endpoint. `fleet` endpoints use `/api/latest/fleet/...` (the
 * newest API version); `api` endpoints (setup) use `/api/v1/...`, the only versioned form Fleet
 * itself serves for them.
 */
export function requestPath(endpoint: Pick<Endpoint, 'mount' | 'path' | 'versions'>): string {
  const paths = endpointPaths(endpoint)
  const preferred =
    endpoint.mount === 'api' ? paths.find((p) => p.startsWith('/api/v1/')) : paths[0]
  return preferred ?? `/api${endpoint.path}`
}

/**
 * Substitutes `:name` segments with URL-encoded values from `params`.
 * Throws when a segment has no value: a request to `/teams/undefined` helps nobody.
 */
export function fillPath(path: string, params: unknown): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_segment, name: string) => {
    const value = field(params, name)
    if (value === undefined || value === null || value === '') {
      throw new TypeError(`missing path parameter "${name}" for ${path}`)
    }
    return encodeURIComponent(scalar(value))
  })
}

/**
 * Encodes a query object: `undefined`/`null` are left out, arrays repeat the key, booleans become
 * `true`/`false`. Returns `''` or a string starting with `?`.
 */
export function encodeQuery(query: unknown): string {
  if (typeof query !== 'object' || query === null) {
    return ''
  }
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) {
        search.append(key, scalar(item))
      }
    }
  }
  const encoded = search.toString()
  return encoded === '' ? '' : `?${encoded}`
}

function field(obj: unknown, name: string): unknown {
  if (typeof obj !== 'object' || obj === null) {
    return undefined
  }
  return Object.entries(obj).find(([key]) => key === name)?.[1]
}

function scalar(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    return JSON.stringify(value)
  }
  return String(value)
}
