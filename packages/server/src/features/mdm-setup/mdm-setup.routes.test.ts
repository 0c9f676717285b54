import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makePushCertificate } from '../../test-utils/apple-push-cert.js'
import { DIALECTS } from '../../test-utils/databases.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'

const PRIVATE_KEY = 'test-server-private-key-0123456789abcdef'
const APNS = `${FLEET_API}/mdm/apple/apns_certificate`
const INVALID =
  'Invalid certificate. Please provide a valid certificate from Apple Push Certificate Portal.'

function multipart(fields: Record<string, string>): { body: string; type: string } {
  const boundary = 'fleet-test-boundary'
  const parts = Object.entries(fields).map(
    ([name, value]) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.pem"\r\nContent-Type: application/x-pem-file\r\n\r\n${value}\r\n`,
  )
  return {
    body: `${parts.join('')}--${boundary}--\r\n`,
    type: `multipart/form-data; boundary=${boundary}`,
  }
}

describe.each(DIALECTS)('Apple MDM set-up [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let maintainer: string
  let observer: string

  const upload = (fields: Record<string, string>, token = admin) => {
    const { body, type } = multipart(fields)
    return t.request('POST', APNS, { token, rawBody: body, headers: { 'content-type': type } })
  }
  const mdmEnabled = async () =>
    asRecord((await t.request('GET', `${FLEET_API}/config`, { token: admin })).data().mdm)
      .enabled_and_configured

  beforeAll(async () => {
    t = await startTestServer(dialect, { flags: { 'server.private_key': PRIVATE_KEY } })
    admin = await t.setupAdmin()
    maintainer = (await t.createUser(admin, { email: 'm@example.com', globalRole: 'maintainer' }))
      .token
    observer = (await t.createUser(admin, { email: 'o@example.com', globalRole: 'observer' })).token
  })
  afterAll(() => t.close())

  it('is for global admins only', async () => {
    const push = await makePushCertificate()
    for (const token of [maintainer, observer]) {
      expect(
        (await t.request('GET', `${FLEET_API}/mdm/apple/request_csr`, { token })).statusCode,
      ).toBe(403)
      expect(
        (await upload({ certificate: push.certPem, private_key: push.keyPem }, token)).statusCode,
      ).toBe(403)
      expect((await t.request('DELETE', APNS, { token })).statusCode).toBe(403)
      expect((await t.request('GET', `${FLEET_API}/mdm/apple`, { token })).statusCode).toBe(403)
    }
    expect((await t.request('GET', `${FLEET_API}/mdm/apple`, {})).statusCode).toBe(401)
    expect(await mdmEnabled()).toBe(false)
  })

  it('says MDM is not configured before a push certificate exists', async () => {
    const res = await t.request('GET', `${FLEET_API}/mdm/apple`, { token: admin })
    expect(res.statusCode).toBe(404)
    expect(res.data().code).toBe('MDM_NOT_CONFIGURED')
  })

  it("refuses a certificate without Apple's topic, a key of another certificate, and non-PEM", async () => {
    const wrongUid = await makePushCertificate({ uid: 'com.example.not-mdm' })
    const res = await upload({ certificate: wrongUid.certPem, private_key: wrongUid.keyPem })
    expect(res.statusCode).toBe(400)
    expect(res.data().errors).toEqual([
      { name: 'certificate', reason: INVALID },
      {
        name: 'topic',
        reason: 'invalid APNs Topic: "com.example.not-mdm": it must start with com.apple.mgmt',
      },
    ])
    const noUid = await makePushCertificate({ uid: null })
    const none = await upload({ certificate: noUid.certPem, private_key: noUid.keyPem })
    expect(none.data().errors).toContainEqual({
      name: 'topic',
      reason: 'no APNs Topic found: it must start with com.apple.mgmt',
    })

    const a = await makePushCertificate()
    const b = await makePushCertificate()
    const mismatch = await upload({ certificate: a.certPem, private_key: b.keyPem })
    expect(mismatch.statusCode).toBe(400)
    expect(mismatch.data().errors).toContainEqual({ name: 'certificate', reason: INVALID })

    const garbage = await upload({ certificate: 'not a certificate', private_key: a.keyPem })
    expect(garbage.data().errors).toEqual([{ name: 'certificate', reason: INVALID }])
    const missing = await upload({ private_key: a.keyPem })
    expect(missing.statusCode).toBe(400)
    expect(await mdmEnabled()).toBe(false)
  })

  it('uploads a push certificate with its key: MDM on, keys sealed at rest, CA generated', async () => {
    const push = await makePushCertificate()
    const res = await upload({ certificate: push.certPem, private_key: push.keyPem })
    expect(res.statusCode).toBe(202)
    expect(await mdmEnabled()).toBe(true)

    const info = (await t.request('GET', `${FLEET_API}/mdm/apple`, { token: admin })).data()
    expect(info.topic).toBe(push.topic)
    expect(String(info.common_name)).toMatch(/^APSP:/)
    expect(String(info.serial_number)).toMatch(/^\d+$/)
    expect(Date.parse(String(info.renew_date))).toBeGreaterThan(Date.now())

    const rows = await t.database.db.selectFrom('mdm_config_assets').selectAll().execute()
    expect(rows.map((row) => row.name).sort()).toEqual([
      'apns_cert',
      'apns_key',
      'ca_cert',
      'ca_key',
      'scep_challenge',
    ])
    for (const row of rows) {
      expect(row.value).toMatch(/^v1:/)
      expect(row.value).not.toContain('PRIVATE KEY')
      expect(row.value).not.toContain('CERTIFICATE')
    }
  })

  it('keeps the SCEP CA when the push certificate is renewed, and turns off on delete', async () => {
    const caBefore = await caValue()
    const renewed = await makePushCertificate()
    expect(
      (await upload({ certificate: renewed.certPem, private_key: renewed.keyPem })).statusCode,
    ).toBe(202)
    expect(await caValue()).toBe(caBefore)

    expect((await t.request('DELETE', APNS, { token: admin })).statusCode).toBe(200)
    expect(await mdmEnabled()).toBe(false)
    expect((await t.request('GET', `${FLEET_API}/mdm/apple`, { token: admin })).statusCode).toBe(
      404,
    )
  })

  it('generates the APNs key with the CSR; a certificate for that key uploads without one', async () => {
    const res = await t.request('GET', `${FLEET_API}/mdm/apple/request_csr`, { token: admin })
    expect(res.statusCode).toBe(200)
    const csr = Buffer.from(String(res.data().csr), 'base64').toString('utf8')
    expect(csr).toContain('-----BEGIN CERTIFICATE REQUEST-----')
    // A certificate for another key cannot use the generated one.
    const other = await makePushCertificate()
    const refused = await upload({ certificate: other.certPem })
    expect(refused.statusCode).toBe(400)
    expect(refused.data().errors).toContainEqual({ name: 'certificate', reason: INVALID })
  })

  async function caValue(): Promise<string | undefined> {
    const row = await t.database.db
      .selectFrom('mdm_config_assets')
      .select('value')
      .where('name', '=', 'ca_cert')
      .executeTakeFirst()
    return row?.value
  }
})

describe('Apple MDM set-up without server.private_key', () => {
  let t: TestServer
  let admin: string
  beforeAll(async () => {
    t = await startTestServer('sqlite')
    admin = await t.setupAdmin()
  })
  afterAll(() => t.close())

  it('answers 409 naming the missing setting, and stores nothing', async () => {
    const push = await makePushCertificate()
    const res = await t.request('POST', APNS, {
      token: admin,
      body: { certificate: push.certPem, private_key: push.keyPem },
    })
    expect(res.statusCode).toBe(409)
    expect(res.data().code).toBe('SERVER_PRIVATE_KEY_MISSING')
    expect(res.body).toContain('server.private_key')
    expect(res.body).toContain("Couldn't upload APNs certificate. Missing required private key.")
    const csr = await t.request('GET', `${FLEET_API}/mdm/apple/request_csr`, { token: admin })
    expect(csr.statusCode).toBe(409)
    expect(await t.database.db.selectFrom('mdm_config_assets').selectAll().execute()).toEqual([])
  })
})
