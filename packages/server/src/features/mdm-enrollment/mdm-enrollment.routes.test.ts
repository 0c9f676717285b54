import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { FLEET_API } from '@fleet/test-support'
import * as plist from 'plist'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyCms } from '../../platform/pki/cms-verify.js'
import { DIALECTS } from '../../test-utils/databases.js'
import { enableAppleMdm, injectScep, TEST_SERVER_PRIVATE_KEY } from '../../test-utils/mdm-kit.js'
import { scepEnroll } from '../../test-utils/scep-client.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'

type Dict = Record<string, unknown>
const asDict = (value: unknown): Dict =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Dict) : {}

const MANUAL = `${FLEET_API}/enrollment_profiles/manual`
const SECRET = 'mdm-enroll-secret'

describe.each(DIALECTS)('Apple MDM enrollment profile [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let observer: string
  let topic: string
  let challenge: string

  const download = async (url: string, token?: string) => {
    const res = await t.server.app.inject({
      method: 'GET',
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    })
    return {
      status: res.statusCode,
      type: String(res.headers['content-type']),
      body: res.rawPayload,
    }
  }

  beforeAll(async () => {
    t = await startTestServer(dialect, { flags: { 'server.private_key': TEST_SERVER_PRIVATE_KEY } })
    admin = await t.setupAdmin()
    observer = (await t.createUser(admin, { email: 'obs@example.com', globalRole: 'observer' }))
      .token
    await t.request('POST', `${FLEET_API}/spec/enroll_secret`, {
      token: admin,
      body: { spec: { secrets: [{ secret: SECRET }] } },
    })
  })
  afterAll(() => t.close())

  it('is refused before MDM is set up, and to observers', async () => {
    const before = await download(MANUAL, admin)
    expect(before.status).toBe(404)
    expect(JSON.parse(before.body.toString()).code).toBe('MDM_NOT_CONFIGURED')
    ;({ topic, challenge } = await enableAppleMdm(t, admin))
    expect((await download(MANUAL, observer)).status).toBe(403)
    expect((await download(MANUAL)).status).toBe(401)
  })

  it('serves a profile signed by the SCEP CA whose payloads point at this server', async () => {
    const res = await download(MANUAL, admin)
    expect(res.status).toBe(200)
    expect(res.type).toBe('application/x-apple-aspen-config')
    const verified = await verifyCms(res.body)
    const ca = (await injectScep(t)({ method: 'GET', query: 'operation=GetCACert' })).body
    expect(verified.signerCertDer.equals(ca)).toBe(true)

    const profile = asDict(plist.parse(verified.content.toString('utf8')))
    const [scep, mdm] = (profile.PayloadContent as unknown[]).map(asDict)
    const serverUrl = String(
      asDict(
        (await t.request('GET', `${FLEET_API}/config`, { token: admin })).data().server_settings,
      ).server_url,
    ).replace(/\/+$/, '')
    expect(asDict(scep?.PayloadContent)).toMatchObject({
      URL: `${serverUrl}/mdm/apple/scep`,
      Challenge: challenge,
      Keysize: 2048,
      'Key Type': 'RSA',
    })
    expect(mdm).toMatchObject({
      IdentityCertificateUUID: scep?.PayloadUUID,
      Topic: topic,
      ServerURL: `${serverUrl}/mdm/apple/mdm`,
      SignMessage: true,
      AccessRights: 8191,
      CheckOutWhenRemoved: true,
    })

    // A device following the profile gets its identity from the SCEP URL with its challenge.
    const scepPath = new URL(String(asDict(scep?.PayloadContent).URL)).pathname
    const result = await scepEnroll(injectScep(t, scepPath), {
      challenge: String(asDict(scep?.PayloadContent).Challenge),
    })
    expect(result).toMatchObject({ pkiStatus: '0' })
    const issued = 'certificate' in result ? result.certificate : undefined
    expect(
      issued &&
        (await issued.verify({
          publicKey: new x509.X509Certificate(ca).publicKey,
          signatureOnly: true,
        })),
    ).toBe(true)
  })

  it('serves the same profile at /api/mdm/apple/enroll for an enroll secret, 403 otherwise', async () => {
    const ok = await download(`/api/mdm/apple/enroll?token=${SECRET}`)
    expect(ok.status).toBe(200)
    expect(ok.type).toBe('application/x-apple-aspen-config')
    const profile = asDict(plist.parse((await verifyCms(ok.body)).content.toString('utf8')))
    expect(profile.PayloadType).toBe('Configuration')
    expect((await download('/api/mdm/apple/enroll?token=wrong')).status).toBe(403)
    expect((await download('/api/mdm/apple/enroll')).status).toBe(403)
  })
})
