import { FLEET_API } from '@fleet/test-support'
import type { Dialect } from '../platform/db/index.js'
import { makeAbmTokenFile, startFakeAbm, type FakeAbm } from './fake-abm.js'
import { TEST_SERVER_PRIVATE_KEY } from './mdm-kit.js'
import { startTestServer, type ApiResponse, type TestServer } from './test-server.js'

export const ABM_TOKENS = `${FLEET_API}/abm_tokens`
export const ABM_PUBLIC_KEY = `${FLEET_API}/mdm/apple/abm_public_key`

/** The server's ABM public key certificate (PEM), as an admin downloads it. */
export async function abmPublicKeyPem(t: TestServer, admin: string): Promise<string> {
  const res = await t.request('GET', ABM_PUBLIC_KEY, { token: admin })
  if (res.statusCode !== 200) {
    throw new Error(`abm_public_key: ${res.statusCode} ${res.body}`)
  }
  return Buffer.from(String(res.data().public_key), 'base64').toString('utf8')
}

/** Uploads a `.p7m` the way the web console does: multipart field `token`. */
export function uploadAbmTokenFile(
  t: TestServer,
  userToken: string,
  contents: string,
  path = ABM_TOKENS,
  method: 'POST' | 'PATCH' = 'POST',
): Promise<ApiResponse> {
  const boundary = 'abm-test-boundary'
  const body =
    `--${boundary}\r\nContent-Disposition: form-data; name="token"; filename="server_token.p7m"\r\n` +
    `Content-Type: application/pkcs7-mime\r\n\r\n${contents}\r\n--${boundary}--\r\n`
  return t.request(method, path, {
    token: userToken,
    rawBody: body,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  })
}

/** Adds the fake ABM's token to the server (public key → .p7m → upload); returns its id. */
export async function addAbmToken(t: TestServer, admin: string, abm: FakeAbm): Promise<number> {
  const cert = await abmPublicKeyPem(t, admin)
  const expiry = new Date(t.clock.now().getTime() + 365 * 86_400_000)
  const res = await uploadAbmTokenFile(t, admin, makeAbmTokenFile(cert, abm.credentials, expiry))
  if (res.statusCode !== 200) {
    throw new Error(`ABM token upload: ${res.statusCode} ${res.body}`)
  }
  return Number((res.data().abm_token as { id: number }).id)
}

/** A test server talking to a fake ABM, with its token added and a macOS default team. */
export interface AbmWorld {
  t: TestServer
  abm: FakeAbm
  admin: string
  tokenId: number
  /** The team new Macs join (the token's macOS default team). */
  teamId: number
  close(): Promise<void>
}

export async function startAbmWorld(dialect: Dialect, teamName: string): Promise<AbmWorld> {
  const abm = await startFakeAbm()
  const t = await startTestServer(dialect, {
    flags: {
      'server.private_key': TEST_SERVER_PRIVATE_KEY,
      'mdm.apple_business_manager_url': abm.url,
    },
  })
  const admin = await t.setupAdmin()
  const tokenId = await addAbmToken(t, admin, abm)
  const team = await t.request('POST', `${FLEET_API}/teams`, {
    token: admin,
    body: { name: teamName },
  })
  const teamId = Number((team.data().team as { id: number }).id)
  await t.request('PATCH', `${ABM_TOKENS}/${tokenId}/teams`, {
    token: admin,
    body: { macos_team_id: teamId, ios_team_id: null, ipados_team_id: null },
  })
  return {
    t,
    abm,
    admin,
    tokenId,
    teamId,
    close: async () => {
      await t.close()
      await abm.close()
    },
  }
}

/** Runs one of the server's cron jobs now. */
export async function runJob(t: TestServer, name: string) {
  const job = t.server.cronJobs.find((j) => j.name === name)
  if (!job) {
    throw new Error(`no ${name} job`)
  }
  return job.run()
}
