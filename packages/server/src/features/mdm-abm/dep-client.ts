import { z } from 'zod'
import type { Clock } from '../../platform/clock.js'
import type { AbmCredentials } from './abm-token-file.js'
import { oauthAuthorization } from './oauth1.js'

/** Apple's DEP (ABM device enrollment) API, unless `mdm.apple_business_manager_url` says else. */
export const DEP_PRODUCTION_URL = 'https://mdmenrollment.apple.com'

/** An answer of ABM other than success: its HTTP status and the reason in its body. */
export class DepApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly path: string,
  ) {
    super(`ABM ${path} answered ${status}${reason ? `: ${reason}` : ''}`)
  }
  /** An ABM admin must accept new terms and conditions before any call works. */
  get termsNotSigned(): boolean {
    return this.reason.includes('T_C_NOT_SIGNED')
  }
  get cursorExpired(): boolean {
    return this.reason.includes('EXPIRED_CURSOR') || this.reason.includes('INVALID_CURSOR')
  }
}

export const DepAccount = z.object({
  server_name: z.string().default(''),
  server_uuid: z.string().default(''),
  admin_id: z.string().default(''),
  org_name: z.string().min(1),
  org_email: z.string().default(''),
})
export type DepAccount = z.infer<typeof DepAccount>

export const DepDevice = z.object({
  serial_number: z.string().min(1),
  model: z.string().default(''),
  description: z.string().default(''),
  color: z.string().default(''),
  device_family: z.string().default(''),
  os: z.string().default(''),
  profile_status: z.string().default(''),
  profile_uuid: z.string().default(''),
  /** Sync only: added, modified or deleted. */
  op_type: z.string().default(''),
})
export type DepDevice = z.infer<typeof DepDevice>

export const DepDevicePage = z.object({
  devices: z
    .array(DepDevice)
    .nullish()
    .transform((d) => d ?? []),
  cursor: z.string().default(''),
  more_to_follow: z.boolean().default(false),
})
export type DepDevicePage = z.infer<typeof DepDevicePage>

/** The DEP enrollment profile Fleet defines (Apple's `POST /profile` body). */
export interface DepProfile {
  profile_name: string
  url: string
  configuration_web_url: string
  is_mdm_removable: boolean
  await_device_configured: boolean
  skip_setup_items: string[]
  org_magic?: string
}

const ProfileResult = z.object({
  profile_uuid: z.string().min(1),
  devices: z
    .record(z.string(), z.string())
    .nullish()
    .transform((d) => d ?? {}),
})
export type DepProfileResult = z.infer<typeof ProfileResult>

const SessionResponse = z.object({ auth_session_token: z.string().min(1) })

export interface DepClientOptions {
  baseUrl: string
  credentials: AbmCredentials
  clock: Clock
  fetch?: typeof fetch
}

/** The calls this server makes to ABM, over one session (re-made on 401 or expiry). */
export interface DepClient {
  account(): Promise<DepAccount>
  /** The full device list, page by page (`POST /server/devices`). */
  fetchDevices(cursor: string | undefined, limit?: number): Promise<DepDevicePage>
  /** What changed since `cursor` (`POST /devices/sync`). */
  syncDevices(cursor: string, limit?: number): Promise<DepDevicePage>
  defineProfile(profile: DepProfile): Promise<DepProfileResult>
  assignProfile(profileUuid: string, serials: readonly string[]): Promise<DepProfileResult>
}

async function reasonOf(res: Response): Promise<string> {
  const text = (await res.text()).trim().slice(0, 500)
  return text.replace(/^"|"$/g, '')
}

/**
 * A DEP API client: `GET /session` with an OAuth 1.0a (HMAC-SHA1) Authorization gives a session
 * token, sent as `X-ADM-Auth-Session` on every later call; ABM may hand a fresh one back in the
 * same header. A 401 means the session expired: one new session and one retry.
 */
export function createDepClient(options: DepClientOptions): DepClient {
  const doFetch = options.fetch ?? fetch
  const base = options.baseUrl.replace(/\/+$/, '')
  let session: string | undefined

  async function newSession(): Promise<string> {
    const url = new URL(`${base}/session`)
    const res = await doFetch(url, {
      headers: {
        authorization: oauthAuthorization('GET', url, options.credentials, options.clock.now()),
      },
    })
    if (!res.ok) {
      throw new DepApiError(res.status, await reasonOf(res), '/session')
    }
    const parsed = SessionResponse.safeParse(await res.json())
    if (!parsed.success) {
      throw new DepApiError(res.status, 'no auth_session_token in the answer', '/session')
    }
    return parsed.data.auth_session_token
  }

  async function call<T>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    schema: z.ZodType<T>,
    retried = false,
  ): Promise<T> {
    session ??= await newSession()
    const res = await doFetch(`${base}${path}`, {
      method,
      headers: {
        'x-adm-auth-session': session,
        'x-server-protocol-version': '3',
        'content-type': 'application/json;charset=UTF8',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    session = res.headers.get('x-adm-auth-session') ?? session
    if (res.status === 401 && !retried) {
      session = undefined
      return call(method, path, body, schema, true)
    }
    if (!res.ok) {
      throw new DepApiError(res.status, await reasonOf(res), path)
    }
    const parsed = schema.safeParse(await res.json())
    if (!parsed.success) {
      throw new DepApiError(res.status, `unexpected answer: ${parsed.error.message}`, path)
    }
    return parsed.data
  }

  return {
    account: () => call('GET', '/account', undefined, DepAccount),
    fetchDevices: (cursor, limit = 1000) =>
      call('POST', '/server/devices', { limit, ...(cursor ? { cursor } : {}) }, DepDevicePage),
    syncDevices: (cursor, limit = 1000) =>
      call('POST', '/devices/sync', { cursor, limit }, DepDevicePage),
    defineProfile: (profile) => call('POST', '/profile', profile, ProfileResult),
    assignProfile: (profileUuid, serials) =>
      call(
        'POST',
        '/profile/devices',
        { profile_uuid: profileUuid, devices: serials },
        ProfileResult,
      ),
  }
}
