import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { randomUUID } from 'node:crypto'
import {
  generateRsaKeys,
  OID_UID,
  privateKeyPem,
  randomSerial,
  RSA_SHA256,
} from '../platform/pki/x509.js'

/**
 * A stand-in for the push certificate Apple's portal issues: self-signed, RSA, with the topic in
 * the subject UID (`com.apple.mgmt.External.<uuid>` unless `uid` says otherwise; null leaves the
 * UID out).
 */
export async function makePushCertificate(
  options: { uid?: string | null } = {},
): Promise<{ certPem: string; keyPem: string; topic: string | null }> {
  const topic = options.uid === undefined ? `com.apple.mgmt.External.${randomUUID()}` : options.uid
  const keys = await generateRsaKeys(2048)
  const name: x509.JsonName = [
    ...(topic === null ? [] : [{ [OID_UID]: [topic] }]),
    { CN: [`APSP:${randomUUID()}`] },
    { C: ['US'] },
  ]
  const now = Date.now()
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 365 * 86_400_000),
    signingAlgorithm: RSA_SHA256,
    keys,
    extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
  })
  return {
    certPem: cert.toString('pem') + '\n',
    keyPem: await privateKeyPem(keys.privateKey),
    topic,
  }
}
