import { FLEET_API } from '@fleet/test-support'
import { scepCaFrom } from '../features/mdm-setup/apple-mdm-assets.js'
import type { ScepCa } from '../features/mdm-setup/index.js'
import { createSecretBox } from '../platform/secret-box.js'
import { makePushCertificate } from './apple-push-cert.js'
import type { ScepTransport } from './scep-client.js'
import type { TestServer } from './test-server.js'

/** The server private key MDM tests run with (`server.private_key`). */
export const TEST_SERVER_PRIVATE_KEY = 'test-server-private-key-0123456789abcdef'

/** Turns Apple MDM on (a generated push certificate); returns its topic and the SCEP challenge. */
export async function enableAppleMdm(
  t: TestServer,
  adminToken: string,
): Promise<{ topic: string; challenge: string }> {
  const push = await makePushCertificate()
  const res = await t.request('POST', `${FLEET_API}/mdm/apple/apns_certificate`, {
    token: adminToken,
    body: { certificate: push.certPem, private_key: push.keyPem },
  })
  if (res.statusCode !== 202) {
    throw new Error(`APNs upload failed: ${res.statusCode} ${res.body}`)
  }
  const row = await t.database.db
    .selectFrom('mdm_config_assets')
    .select('value')
    .where('name', '=', 'scep_challenge')
    .executeTakeFirstOrThrow()
  const challenge = createSecretBox(TEST_SERVER_PRIVATE_KEY)
    .open(row.value, 'scep_challenge')
    .toString('utf8')
  return { topic: push.topic ?? '', challenge }
}

/** A SCEP transport into the test server (fastify inject), at `path`. */
export function injectScep(t: TestServer, path = '/mdm/apple/scep'): ScepTransport {
  return async ({ method, query, body }) => {
    const res = await t.server.app.inject({
      method,
      url: `${path}?${query}`,
      ...(body ? { payload: body, headers: { 'content-type': 'application/x-pki-message' } } : {}),
    })
    return {
      statusCode: res.statusCode,
      body: res.rawPayload,
      contentType: String(res.headers['content-type'] ?? ''),
    }
  }
}

/** The SCEP CA as the server holds it (opened from the database with the test server key). */
export async function scepCaOf(t: TestServer): Promise<ScepCa> {
  const box = createSecretBox(TEST_SERVER_PRIVATE_KEY)
  const rows = await t.database.db
    .selectFrom('mdm_config_assets')
    .select(['name', 'value'])
    .where('name', 'in', ['ca_cert', 'ca_key'])
    .execute()
  const open = (name: string) => {
    const row = rows.find((r) => r.name === name)
    return row ? box.open(row.value, name).toString('utf8') : ''
  }
  const ca = scepCaFrom(open('ca_cert'), open('ca_key'))
  if (!ca) {
    throw new Error('no SCEP CA: enable Apple MDM first')
  }
  return ca
}
