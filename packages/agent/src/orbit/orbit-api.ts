import { z } from 'zod'
import type { RemoteClient } from '../transport/remote-client.js'
import type { HostIdentity } from './host-identity.js'

/** The parts of Fleet's OrbitConfig this agent acts on (unknown fields are ignored). */
export const OrbitConfigResponse = z.looseObject({
  script_execution_timeout: z.number().optional(),
  command_line_startup_flags: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .nullish(),
  update_channels: z
    .looseObject({
      orbit: z.string().optional(),
      osqueryd: z.string().optional(),
      desktop: z.string().optional(),
    })
    .nullish(),
  notifications: z.looseObject({}).nullish(),
})
export type OrbitConfigResponse = z.infer<typeof OrbitConfigResponse>

const EnrollResponse = z.object({ orbit_node_key: z.string().min(1) })

/**
 * A call's outcome: `unauthorized` means the server no longer accepts the orbit node key (or, on
 * enroll, the secret); `retry` is a failure worth trying again later (network, 5xx).
 */
export type OrbitResult<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'unauthorized'; error: string }
  | { kind: 'retry'; error: string }
  | { kind: 'fatal'; error: string }

/** Fleet's orbit API (`/api/fleet/orbit/*`), over the same TLS client osquery's daemon uses. */
export function orbitApi(client: RemoteClient, pathPrefix = '') {
  async function call<T>(
    path: string,
    body: Record<string, unknown>,
    parse: (value: unknown) => T | undefined,
  ): Promise<OrbitResult<T>> {
    const result = await client.post(`${pathPrefix}/api/fleet/orbit/${path}`, body)
    switch (result.kind) {
      case 'node-invalid':
        return { kind: 'unauthorized', error: result.error }
      case 'error':
        if (result.status === 401) {
          return { kind: 'unauthorized', error: result.error }
        }
        return result.retryable || result.status === undefined
          ? { kind: 'retry', error: result.error }
          : { kind: 'fatal', error: result.error }
      case 'ok': {
        const value = parse(result.body)
        return value === undefined
          ? { kind: 'retry', error: `unexpected response to ${path}` }
          : { kind: 'ok', value }
      }
    }
  }

  return {
    /** Enrolls with the secret; the orbit node key on success. */
    enroll: (secret: string, identity: HostIdentity) =>
      call('enroll', { enroll_secret: secret, ...identity }, (body) => {
        const parsed = EnrollResponse.safeParse(body)
        return parsed.success ? parsed.data.orbit_node_key : undefined
      }),
    config: (nodeKey: string) =>
      call('config', { orbit_node_key: nodeKey }, (body) => {
        const parsed = OrbitConfigResponse.safeParse(body)
        return parsed.success ? parsed.data : undefined
      }),
    /** Registers (or rotates to) the host's device token for the "My device" page. */
    deviceToken: (nodeKey: string, token: string) =>
      call('device_token', { orbit_node_key: nodeKey, device_auth_token: token }, () => true),
  }
}
export type OrbitApi = ReturnType<typeof orbitApi>
