import './pem.js'
import * as x509 from '@peculiar/x509'
import {
  createPrivateKey,
  createPublicKey,
  randomBytes,
  webcrypto,
  type KeyObject,
} from 'node:crypto'
import { pemBlocks, toPem } from './pem.js'

/** RSA with SHA-256, PKCS#1 v1.5: what Apple devices and SCEP clients expect. */
export const RSA_SHA256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const

/** The subject attribute UID (0.9.2342.19200300.100.1.1), which holds an APNs push topic. */
export const OID_UID = '0.9.2342.19200300.100.1.1'

/** A certificate and its RSA private key, both as PEM. */
export interface CertAndKey {
  certPem: string
  keyPem: string
}

/** A fresh RSA key pair usable for signing with SHA-256. */
export async function generateRsaKeys(modulusLength = 2048): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(
    { ...RSA_SHA256, modulusLength, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  )
}

/** A private key as PKCS#8 PEM. */
export async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  return toPem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key))
}

/** A PEM private key (PKCS#1 `RSA PRIVATE KEY` or PKCS#8) as a WebCrypto RSA signing key. */
export async function importRsaSigningKey(pem: string): Promise<webcrypto.CryptoKey> {
  const pkcs8 = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' })
  return webcrypto.subtle.importKey('pkcs8', pkcs8, RSA_SHA256, true, ['sign'])
}

/** A random positive serial number of 16 bytes, as hex (RFC 5280 allows up to 20). */
export function randomSerial(): string {
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0] ?? 0) & 0x7f || 0x01
  return bytes.toString('hex')
}

/**
 * A self-signed RSA CA certificate valid for `years` (the SCEP CA that issues device identity
 * certificates and signs enrollment profiles).
 */
export async function createSelfSignedCa(options: {
  name: string
  years: number
  now: Date
}): Promise<CertAndKey> {
  const keys = await generateRsaKeys(2048)
  const notAfter = new Date(options.now)
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + options.years)
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: options.name,
    notBefore: new Date(options.now.getTime() - 60_000),
    notAfter,
    signingAlgorithm: RSA_SHA256,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign |
          x509.KeyUsageFlags.cRLSign |
          x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  return { certPem: cert.toString('pem') + '\n', keyPem: await privateKeyPem(keys.privateKey) }
}

/** The first certificate of a PEM text, or undefined when there is none or it does not parse. */
export function parseCertificatePem(pem: string): x509.X509Certificate | undefined {
  const [der] = pemBlocks(pem, 'CERTIFICATE')
  if (!der) {
    return undefined
  }
  try {
    return new x509.X509Certificate(der)
  } catch {
    return undefined
  }
}

/** The value of the subject's UID attribute (an APNs topic), or undefined. */
export function subjectUid(cert: x509.X509Certificate): string | undefined {
  const [uid] = cert.subjectName.getField(OID_UID)
  return uid
}

/** True when `keyPem` is the private key of `cert` (their public keys are the same). */
export function keyMatchesCertificate(cert: x509.X509Certificate, keyPem: string): boolean {
  let key: KeyObject
  try {
    key = createPrivateKey(keyPem)
  } catch {
    return false
  }
  const fromKey = createPublicKey(key).export({ type: 'spki', format: 'der' })
  return Buffer.from(cert.publicKey.rawData).equals(fromKey)
}
