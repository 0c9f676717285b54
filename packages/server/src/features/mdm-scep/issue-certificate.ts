import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { createHash } from 'node:crypto'
import { importRsaSigningKey, randomSerial, RSA_SHA256 } from '../../platform/pki/x509.js'
import type { ScepCa } from '../mdm-setup/index.js'

/** How long a device identity certificate is valid (Fleet renews them 180 days before expiry). */
export const DEVICE_CERT_DAYS = 365

/** A certificate the SCEP CA issued, as stored. */
export interface IssuedCertificate {
  serial: string
  sha256: string
  commonName: string
  notValidBefore: Date
  notValidAfter: Date
  der: Buffer
  pem: string
}

/**
 * Issues a device identity certificate for a verified CSR: its subject and public key, signed by
 * the SCEP CA, for TLS client authentication and signing (`Mdm-Signature`).
 */
export async function issueDeviceCertificate(
  ca: ScepCa,
  csr: x509.Pkcs10CertificateRequest,
  now: Date,
): Promise<IssuedCertificate> {
  const notBefore = new Date(now.getTime() - 60_000)
  const notAfter = new Date(now.getTime() + DEVICE_CERT_DAYS * 86_400_000)
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: csr.subjectName,
    issuer: ca.cert.subjectName,
    notBefore,
    notAfter,
    publicKey: csr.publicKey,
    signingKey: await importRsaSigningKey(ca.keyPem),
    signingAlgorithm: RSA_SHA256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
      await x509.SubjectKeyIdentifierExtension.create(await csr.publicKey.export()),
    ],
  })
  const der = Buffer.from(cert.rawData)
  return {
    serial: cert.serialNumber,
    sha256: createHash('sha256').update(der).digest('hex'),
    commonName: csr.subjectName.getField('CN')[0] ?? '',
    notValidBefore: notBefore,
    notValidAfter: notAfter,
    der,
    pem: cert.toString('pem') + '\n',
  }
}
