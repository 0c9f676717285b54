import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { randomBytes, webcrypto } from 'node:crypto'

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }

/** A push certificate as Apple's portal would issue it (self-signed here), with its key, as PEM. */
export async function pushCertificate(topic: string): Promise<{ cert: string; key: string }> {
  x509.cryptoProvider.set(webcrypto)
  const keys = await webcrypto.subtle.generateKey(
    { ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  )
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `0a${randomBytes(4).toString('hex')}`,
    name: [{ '0.9.2342.19200300.100.1.1': [topic] }, { CN: ['APSP:e2e'] }],
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 365 * 86_400_000),
    signingAlgorithm: RSA,
    keys,
  })
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey))
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd()}\n-----END PRIVATE KEY-----\n`
  return { cert: cert.toString('pem'), key }
}
