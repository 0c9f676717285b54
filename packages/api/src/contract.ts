import type { z } from 'zod'

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

/**
 * Where an endpoint is mounted: `fleet` → `/api/latest/fleet`, `/api/v1/fleet` and
 * `/api/2022-04/fleet` (Fleet's API versions: `v1`, the dated `2022-04`, and `latest`);
 * `api` → `/api/v1`, `/api/latest` and `/api` (Fleet's setup endpoint lives there).
 */
export type Mount = 'fleet' | 'api'

/** Fleet's API versions, as the `fleet` mount serves them; `latest` (the first) is canonical. */
export const FLEET_API_VERSIONS = ['latest', 'v1', '2022-04'] as const
export type FleetApiVersion = (typeof FLEET_API_VERSIONS)[number]

/** Fleet's `StartingAtVersion("2022-04")`: served on `latest` and `2022-04`, not `v1`. */
export const SINCE_2022_04: readonly FleetApiVersion[] = ['latest', '2022-04']
/** Fleet's `EndingAtVersion("v1")`: served on `v1` only (the path means something else later). */
export const V1_ONLY: readonly FleetApiVersion[] = ['v1']

/**
 * One REST endpoint: the single source for request validation on the server, the typed client,
 * and the OpenAPI document. `path` uses `:param` segments and is relative to the mount.
 */
export interface Endpoint {
  readonly method: Method
  readonly path: string
  readonly mount: Mount
  readonly summary: string
  readonly tag: string
  /** `public` endpoints skip authentication (setup, login); everything else needs a session. */
  readonly auth: 'user' | 'public'
  readonly params?: z.ZodType
  readonly query?: z.ZodType
  readonly body?: z.ZodType
  readonly response: z.ZodType
  readonly status?: number
  /**
   * The response's media type when it is not JSON (a CSV report): the server streams it and the
   * client reads it as text, not through `response`, which then only documents it.
   */
  readonly produces?: 'text/csv' | 'application/x-apple-aspen-config'
  /**
   * Other paths (relative to the mount, under every version) answering the same way, as Fleet's
   * `WithAltPaths`, e.g. `/team/:id/policies` for `/teams/:id/policies`. Not in the OpenAPI document.
   */
  readonly altPaths?: readonly string[]
  /**
   * `fleet` mount only: the API versions serving this path, when not all of them. Fleet moved some
   * deprecated paths between versions (`/global/schedule` in v1 is `/schedule` from 2022-04 on,
   * where `/schedule` in v1 meant a pack's schedule).
   */
  readonly versions?: readonly FleetApiVersion[]
}

/** Identity helper that keeps literal types of an endpoint definition. */
export function defineEndpoint<const E extends Endpoint>(endpoint: E): E {
  return endpoint
}

type Input<S> = S extends z.ZodType ? z.input<S> : undefined
type Output<S> = S extends z.ZodType ? z.output<S> : undefined

/** What a caller passes to call an endpoint. */
export type EndpointInput<E extends Endpoint> = {
  params: Input<E['params']>
  query: Input<E['query']>
  body: Input<E['body']>
}

/** What the server's validation hands a route handler. */
export type EndpointRequest<E extends Endpoint> = {
  params: Output<E['params']>
  query: Output<E['query']>
  body: Output<E['body']>
}

export type EndpointResponse<E extends Endpoint> = z.infer<E['response']>

/** Full paths an endpoint answers on, the first one canonical. */
export function endpointPaths(
  endpoint: Pick<Endpoint, 'mount' | 'path' | 'altPaths' | 'versions'>,
): string[] {
  if (endpoint.mount === 'fleet') {
    const paths = [endpoint.path, ...(endpoint.altPaths ?? [])]
    const versions = FLEET_API_VERSIONS.filter((v) => endpoint.versions?.includes(v) ?? true)
    return paths.flatMap((path) => versions.map((v) => `/api/${v}/fleet${path}`))
  }
  return [`/api/latest${endpoint.path}`, `/api/v1${endpoint.path}`, `/api${endpoint.path}`]
}
