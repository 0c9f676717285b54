import { randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AbmCredentials } from '../features/mdm-abm/abm-token-file.js'
import {
  hmacSha1Signature,
  parseOAuthHeader,
  signatureBaseString,
} from '../features/mdm-abm/oauth1.js'
import { envelopeCms } from '../platform/pki/cms-envelope.js'
import { pemBlocks } from '../platform/pki/pem.js'

/** A device as the fake ABM lists it (Apple's JSON field names). */
export interface FakeAbmDevice {
  serial_number: string
  model: string
  description: string
  color: string
  device_family: string
  os: string
  profile_status: string
  profile_uuid: string
}

/** A request the fake received (the Authorization and session headers included). */
export interface FakeAbmRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: unknown
}

/** A forced answer for the next `times` requests to `path`. */
interface ForcedError {
  status: number
  reason: string
  times: number
}

/**
 * A real local HTTP stand-in for Apple's DEP API: `GET /session` checks the OAuth 1.0a HMAC-SHA1
 * signature against the credentials it was made with and issues session tokens; every other call
 * needs a live `X-ADM-Auth-Session`. Devices are served in pages with cursors
 * (`POST /server/devices`), later changes through `POST /devices/sync`; profile definitions and
 * assignments are recorded. `fail(path, status, reason)` makes calls fail (401, 403
 * `T_C_NOT_SIGNED`, 500…); `expireSessions()` makes the next call answer 401.
 */
export interface FakeAbm {
  url: string
  credentials: AbmCredentials
  orgName: string
  requests: FakeAbmRequest[]
  /** Profiles defined, by the profile_uuid the fake gave them. */
  profiles: Map<string, Record<string, unknown>>
  /** profile_uuid assigned to each serial. */
  assignments: Map<string, string>
  addDevice(device: Partial<FakeAbmDevice> & { serial_number: string }): void
  /** ABM no longer lists the device for this server (op_type "deleted" in sync). */
  removeDevice(serial: string): void
  fail(path: string, status: number, reason: string, times?: number): void
  expireSessions(): void
  close(): Promise<void>
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('error', reject)
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      try {
        resolve(text ? JSON.parse(text) : undefined)
      } catch {
        resolve(text)
      }
    })
  })
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
  })
  res.end(text)
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null
    ? Object.entries(body).find(([k]) => k === name)?.[1]
    : undefined
}

/** True when the OAuth header is signed with `creds` for this request. */
function oauthValid(req: IncomingMessage, url: URL, creds: AbmCredentials): boolean {
  const params = parseOAuthHeader(String(req.headers.authorization ?? ''))
  if (!params) {
    return false
  }
  if (
    params.get('oauth_consumer_key') !== creds.consumerKey ||
    params.get('oauth_token') !== creds.accessToken ||
    params.get('oauth_signature_method') !== 'HMAC-SHA1'
  ) {
    return false
  }
  const signed = [...params].filter(([k]) => k !== 'realm' && k !== 'oauth_signature')
  const base = signatureBaseString(req.method ?? 'GET', url, signed)
  return (
    hmacSha1Signature(base, creds.consumerSecret, creds.accessSecret) ===
    params.get('oauth_signature')
  )
}

export async function startFakeAbm(
  options: { orgName?: string; adminId?: string } = {},
): Promise<FakeAbm> {
  const credentials: AbmCredentials = {
    consumerKey: `CK_${randomBytes(8).toString('hex')}`,
    consumerSecret: `CS_${randomBytes(8).toString('hex')}`,
    accessToken: `AT_${randomBytes(8).toString('hex')}`,
    accessSecret: `AS_${randomBytes(8).toString('hex')}`,
  }
  const orgName = options.orgName ?? 'Fleet Device Management Inc.'
  const sessions = new Set<string>()
  const devices = new Map<string, FakeAbmDevice>()
  const events: { op_type: 'added' | 'modified' | 'deleted'; device: FakeAbmDevice }[] = []
  const forced = new Map<string, ForcedError>()
  const fake: Omit<FakeAbm, 'url' | 'close'> = {
    credentials,
    orgName,
    requests: [],
    profiles: new Map(),
    assignments: new Map(),
    addDevice(partial) {
      const device: FakeAbmDevice = {
        model: 'MacBook Pro',
        description: 'MBP 14',
        color: 'SPACE GRAY',
        device_family: 'Mac',
        os: 'OSX',
        profile_status: 'empty',
        profile_uuid: '',
        ...partial,
      }
      devices.set(device.serial_number, device)
      events.push({ op_type: 'added', device })
    },
    removeDevice(serial) {
      const device = devices.get(serial)
      if (device) {
        devices.delete(serial)
        events.push({ op_type: 'deleted', device })
      }
    },
    fail(path, status, reason, times = 1) {
      forced.set(path, { status, reason, times })
    },
    expireSessions() {
      sessions.clear()
    },
  }

  function assign(profileUuid: string, serials: unknown): Record<string, string> {
    const result: Record<string, string> = {}
    for (const serial of Array.isArray(serials) ? serials : []) {
      const device = devices.get(String(serial))
      if (!device) {
        result[String(serial)] = 'NOT_ACCESSIBLE'
        continue
      }
      fake.assignments.set(device.serial_number, profileUuid)
      device.profile_uuid = profileUuid
      device.profile_status = 'assigned'
      result[device.serial_number] = 'SUCCESS'
    }
    return result
  }

  function page(from: number, limit: number, list: unknown[], cursorOf: (n: number) => string) {
    const slice = list.slice(from, from + limit)
    const next = from + slice.length
    return { devices: slice, cursor: cursorOf(next), more_to_follow: next < list.length }
  }

  function route(req: IncomingMessage, url: URL, body: unknown): [number, unknown] {
    if (url.pathname === '/session') {
      if (!oauthValid(req, url, credentials)) {
        return [401, 'UNAUTHORIZED']
      }
      const token = randomUUID()
      sessions.add(token)
      return [200, { auth_session_token: token }]
    }
    if (!sessions.has(String(req.headers['x-adm-auth-session'] ?? ''))) {
      return [401, 'UNAUTHORIZED']
    }
    const limit = Number(field(body, 'limit') ?? 100) || 100
    const cursor = String(field(body, 'cursor') ?? '')
    switch (url.pathname) {
      case '/account':
        return [
          200,
          {
            server_name: 'Fleet',
            server_uuid: randomUUID(),
            admin_id: options.adminId ?? 'admin@example.com',
            org_name: orgName,
            org_email: 'it@example.com',
          },
        ]
      case '/server/devices': {
        const all = [...devices.values()]
        const from = cursor.startsWith('fetch:') ? Number(cursor.slice(6)) : 0
        const result = page(from, limit, all, (n) =>
          n >= all.length ? `sync:${events.length}` : `fetch:${n}`,
        )
        return [200, result]
      }
      case '/devices/sync': {
        if (!cursor.startsWith('sync:')) {
          return [400, 'INVALID_CURSOR']
        }
        const list = events.map((e) => ({ ...e.device, op_type: e.op_type }))
        return [200, page(Number(cursor.slice(5)), limit, list, (n) => `sync:${n}`)]
      }
      case '/profile': {
        const uuid = randomBytes(16).toString('hex').toUpperCase()
        fake.profiles.set(
          uuid,
          typeof body === 'object' && body !== null ? Object.fromEntries(Object.entries(body)) : {},
        )
        return [200, { profile_uuid: uuid, devices: assign(uuid, field(body, 'devices')) }]
      }
      case '/profile/devices': {
        const uuid = String(field(body, 'profile_uuid') ?? '')
        if (!fake.profiles.has(uuid)) {
          return [400, 'PROFILE_NOT_FOUND']
        }
        return [200, { profile_uuid: uuid, devices: assign(uuid, field(body, 'devices')) }]
      }
      default:
        return [404, 'NOT_FOUND']
    }
  }

  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`)
      fake.requests.push({
        method: req.method ?? '',
        path: url.pathname,
        headers: req.headers,
        body,
      })
      const failure = forced.get(url.pathname)
      if (failure && failure.times > 0) {
        failure.times -= 1
        send(res, failure.status, failure.reason)
        return
      }
      const [status, answer] = route(req, url, body)
      send(res, status, answer)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    ...fake,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/**
 * A server token file as ABM gives it: S/MIME (`application/pkcs7-mime`, base64) of a CMS
 * EnvelopedData to `certPem` (the server's ABM public key) whose content is a MIME part with the
 * OAuth JSON between `-----BEGIN MESSAGE-----` and `-----END MESSAGE-----`.
 */
export function makeAbmTokenFile(
  certPem: string,
  credentials: AbmCredentials,
  expiry: Date,
  message?: string,
): string {
  const json = JSON.stringify({
    consumer_key: credentials.consumerKey,
    consumer_secret: credentials.consumerSecret,
    access_token: credentials.accessToken,
    access_secret: credentials.accessSecret,
    access_token_expiry: expiry.toISOString(),
  })
  const content =
    'Content-Type: text/plain;charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n' +
    (message ?? `-----BEGIN MESSAGE-----\n${json}\n-----END MESSAGE-----\n`)
  const [der] = pemBlocks(certPem, 'CERTIFICATE')
  if (!der) {
    throw new Error('no certificate in certPem')
  }
  const body = envelopeCms(Buffer.from(content), der)
    .toString('base64')
    .replace(/(.{76})/g, '$1\r\n')
  return (
    'Content-Type: application/pkcs7-mime; name="smime.p7m"; smime-type=enveloped-data\r\n' +
    'Content-Transfer-Encoding: base64\r\n' +
    'Content-Disposition: attachment; filename="smime.p7m"\r\n\r\n' +
    body +
    '\r\n'
  )
}
