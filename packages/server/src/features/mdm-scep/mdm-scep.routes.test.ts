import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { enableAppleMdm, injectScep, TEST_SERVER_PRIVATE_KEY } from '../../test-utils/mdm-kit.js'
import { scepEnroll, type ScepResult, type ScepTransport } from '../../test-utils/scep-client.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'

function enrolled(result: Awaited<ReturnType<typeof scepEnroll>>): ScepResult {
  if ('statusCode' in result) {
    throw new Error(`SCEP refused: ${result.statusCode} ${result.body}`)
  }
  return result
}

describe.each(DIALECTS)('SCEP server [%s]', (dialect) => {
  let t: TestServer
  let send: ScepTransport
  let challenge: string

  beforeAll(async () => {
    t = await startTestServer(dialect, { flags: { 'server.private_key': TEST_SERVER_PRIVATE_KEY } })
    const admin = await t.setupAdmin()
    send = injectScep(t)
    expect((await send({ method: 'GET', query: 'operation=GetCACert' })).statusCode).toBe(404)
    ;({ challenge } = await enableAppleMdm(t, admin))
  })
  afterAll(() => t.close())

  it('advertises its capabilities and serves the CA certificate as DER', async () => {
    const caps = await send({ method: 'GET', query: 'operation=GetCACaps' })
    expect(caps.statusCode).toBe(200)
    expect(caps.contentType).toMatch(/^text\/plain/)
    const lines = caps.body.toString().split('\n')
    expect(lines).toEqual(
      expect.arrayContaining(['POSTPKIOperation', 'SHA-256', 'AES', 'SCEPStandard']),
    )

    const ca = await send({ method: 'GET', query: 'operation=GetCACert' })
    expect(ca.contentType).toBe('application/x-x509-ca-cert')
    const cert = new x509.X509Certificate(ca.body)
    expect(await cert.isSelfSigned()).toBe(true)
    expect(cert.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(true)
  })

  it('issues a client-auth certificate chained to the CA for the right challenge, and stores it', async () => {
    const ca = new x509.X509Certificate(
      (await send({ method: 'GET', query: 'operation=GetCACert' })).body,
    )
    const result = enrolled(await scepEnroll(send, { challenge, commonName: 'fleet-testdevice-A' }))
    expect(result.pkiStatus).toBe('0')
    expect(result.recipientNonceMatches).toBe(true)
    expect(Buffer.from(result.rep.signerCertDer).equals(Buffer.from(ca.rawData))).toBe(true)
    const cert = result.certificate
    expect(cert?.subject).toBe('CN=fleet-testdevice-A')
    expect(cert?.issuer).toBe(ca.subject)
    expect(cert && (await cert.verify({ publicKey: ca.publicKey, signatureOnly: true }))).toBe(true)
    expect(cert?.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([
      x509.ExtendedKeyUsage.clientAuth,
    ])
    const sha256 = createHash('sha256')
      .update(Buffer.from(cert?.rawData ?? new ArrayBuffer(0)))
      .digest('hex')
    const row = await t.database.db
      .selectFrom('mdm_scep_certificates')
      .selectAll()
      .where('sha256', '=', sha256)
      .executeTakeFirst()
    expect(row).toMatchObject({
      serial: cert?.serialNumber,
      common_name: 'fleet-testdevice-A',
      revoked: 0,
    })
    expect(Number(row?.not_valid_after)).toBe(cert?.notAfter.getTime())
  })

  it('answers with the cipher the device chose (3DES)', async () => {
    const result = enrolled(await scepEnroll(send, { challenge, cipher: 'des-ede3-cbc' }))
    expect(result.pkiStatus).toBe('0')
    expect(result.certificate).toBeDefined()
  })

  it('answers FAILURE/badRequest to a wrong challenge and to a non-request, issuing nothing', async () => {
    const before = await countIssued()
    const wrong = enrolled(await scepEnroll(send, { challenge: `${challenge}x` }))
    expect(wrong).toMatchObject({ pkiStatus: '2', failInfo: '2', recipientNonceMatches: true })
    expect(wrong.certificate).toBeUndefined()
    const getCertInitial = enrolled(await scepEnroll(send, { challenge, messageType: '20' }))
    expect(getCertInitial).toMatchObject({ pkiStatus: '2', failInfo: '2' })
    expect(await countIssued()).toBe(before)
  })

  it('renews without the challenge when signed by a current identity it issued, not otherwise', async () => {
    const first = enrolled(await scepEnroll(send, { challenge, commonName: 'fleet-testdevice-R' }))
    const identity = {
      certDer: Buffer.from(first.certificate?.rawData ?? new ArrayBuffer(0)),
      keyPem: first.keyPem,
    }
    const renewed = enrolled(
      await scepEnroll(send, { challenge: '', messageType: '17', renewWith: identity }),
    )
    expect(renewed.pkiStatus).toBe('0')
    expect(renewed.certificate?.serialNumber).not.toBe(first.certificate?.serialNumber)
    // A RenewalReq signed by a certificate this CA did not issue still needs the challenge.
    const stranger = enrolled(await scepEnroll(send, { challenge: '', messageType: '17' }))
    expect(stranger).toMatchObject({ pkiStatus: '2', failInfo: '2' })
    // Nor once the identity has expired.
    t.clock.advance(400 * 86_400_000)
    try {
      const expired = enrolled(
        await scepEnroll(send, { challenge: '', messageType: '17', renewWith: identity }),
      )
      expect(expired).toMatchObject({ pkiStatus: '2', failInfo: '2' })
    } finally {
      t.clock.advance(-400 * 86_400_000)
    }
  })

  it('answers 400, never 401, to a tampered signature, garbage and unknown operations', async () => {
    const before = await countIssued()
    const tampered = await scepEnroll(send, { challenge, tamper: true })
    expect(tampered).toMatchObject({ statusCode: 400 })
    const garbage = await send({
      method: 'POST',
      query: 'operation=PKIOperation',
      body: Buffer.from('garbage'),
    })
    expect(garbage.statusCode).toBe(400)
    const viaGet = await send({
      method: 'GET',
      query: `operation=PKIOperation&message=${encodeURIComponent(Buffer.from('junk').toString('base64'))}`,
    })
    expect(viaGet.statusCode).toBe(400)
    expect((await send({ method: 'GET', query: 'operation=PKIOperation' })).statusCode).toBe(400)
    expect((await send({ method: 'GET', query: 'operation=Nope' })).statusCode).toBe(400)
    expect(await countIssued()).toBe(before)
  })

  async function countIssued(): Promise<number> {
    return (await t.database.db.selectFrom('mdm_scep_certificates').select('serial').execute())
      .length
  }
})
