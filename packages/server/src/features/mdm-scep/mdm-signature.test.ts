import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signCms } from '../../platform/pki/cms-sign.js'
import { pemBlocks } from '../../platform/pki/pem.js'
import { createSelfSignedCa, importRsaSigningKey } from '../../platform/pki/x509.js'
import { DIALECTS } from '../../test-utils/databases.js'
import {
  enableAppleMdm,
  injectScep,
  scepCaOf,
  TEST_SERVER_PRIVATE_KEY,
} from '../../test-utils/mdm-kit.js'
import { scepEnroll } from '../../test-utils/scep-client.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { verifyMdmSignature } from './mdm-signature.js'

describe.each(DIALECTS)('Mdm-Signature [%s]', (dialect) => {
  let t: TestServer
  let identity: { certDer: Buffer; keyPem: string }
  const body = Buffer.from(
    '<?xml version="1.0"?><plist><dict><key>MessageType</key><string>Authenticate</string></dict></plist>',
  )

  beforeAll(async () => {
    t = await startTestServer(dialect, { flags: { 'server.private_key': TEST_SERVER_PRIVATE_KEY } })
    const { challenge } = await enableAppleMdm(t, await t.setupAdmin())
    const result = await scepEnroll(injectScep(t), { challenge })
    if ('statusCode' in result || !result.certificate) {
      throw new Error('SCEP enrollment failed')
    }
    identity = { certDer: Buffer.from(result.certificate.rawData), keyPem: result.keyPem }
  })
  afterAll(() => t.close())

  const sign = async (content: Buffer, who = identity) =>
    (
      await signCms({
        content,
        detached: true,
        signerCertDer: who.certDer,
        signerKey: await importRsaSigningKey(who.keyPem),
      })
    ).toString('base64')
  const verify = async (header: string | undefined, content = body) =>
    verifyMdmSignature(t.database.db, await scepCaOf(t), header, content, t.clock.now())

  it('names the device by its SCEP certificate for a good signature over the exact body', async () => {
    const result = await verify(await sign(body))
    expect('identity' in result && result.identity.certificateDer.equals(identity.certDer)).toBe(
      true,
    )
  })

  it('refuses a missing header, another body, garbage and a signer from another CA', async () => {
    expect(await verify(undefined)).toEqual({ refused: 'missing Mdm-Signature' })
    expect(await verify(await sign(body), Buffer.from(`${body.toString()} `))).toEqual({
      refused: 'Mdm-Signature: signature does not verify',
    })
    expect(await verify(Buffer.from('junk').toString('base64'))).toMatchObject({
      refused: expect.stringContaining('Mdm-Signature'),
    })
    const other = await createSelfSignedCa({ name: 'CN=Elsewhere', years: 1, now: new Date() })
    const [otherDer] = pemBlocks(other.certPem, 'CERTIFICATE')
    const foreign = await sign(body, { certDer: otherDer ?? Buffer.alloc(0), keyPem: other.keyPem })
    expect(await verify(foreign)).toEqual({
      refused: 'Mdm-Signature signer is not a current certificate of this SCEP CA',
    })
  })

  it('refuses a revoked certificate and an expired one', async () => {
    const header = await sign(body)
    t.clock.advance(400 * 86_400_000)
    try {
      expect(await verify(header)).toEqual({
        refused: 'Mdm-Signature signer is not a current certificate of this SCEP CA',
      })
    } finally {
      t.clock.advance(-400 * 86_400_000)
    }
    await t.database.db.updateTable('mdm_scep_certificates').set({ revoked: 1 }).execute()
    expect(await verify(header)).toEqual({
      refused: 'Mdm-Signature signer is not an issued, unrevoked certificate',
    })
  })
})
