import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { webcrypto } from 'node:crypto'

x509.cryptoProvider.set(webcrypto)

/** userId (UID): where an APNs push certificate names its topic. */
const UID_OID = '0.9.2342.19200300.100.1.1'
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
const YEAR_MS = 365 * 86_400_000

/** A certificate and its private key, both PEM. */
export interface CertAndKey {
  certPem: string
  keyPem: string
}

/**
 * What the simulator's fake APNs needs: its own CA, a TLS server certificate for 127.0.0.1 /
 * localhost, and the push certificate (subject UID = topic) it accepts from Fleet, as Apple's
 * push gateway accepts the certificate it issued.
 */
export interface ApnsPki {
  ca: CertAndKey
  server: CertAndKey
  push: CertAndKey & { topic: string }
}

function pem(label: string, der: ArrayBuffer): string {
  const body = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
  return `-----BEGIN ${label}-----\n${body.trimEnd()}\n-----END ${label}-----\n`
}

function serial(): string {
  // positive: the first hex digit below 8
  return `1${Buffer.from(webcrypto.getRandomValues(new Uint8Array(11))).toString('hex')}`
}

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  return pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key))
}

/**
 * A fresh CA (ECDSA P-256, one year) with the server and push certificates it signs.
 * @param topic the push topic, e.g. `com.apple.mgmt.External.<uuid>`
 */
export async function createApnsPki(topic: string): Promise<ApnsPki> {
  const notBefore = new Date(Date.now() - 86_400_000)
  const notAfter = new Date(Date.now() + YEAR_MS)
  const caKeys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=fleet-sim fake APNs CA',
    notBefore,
    notAfter,
    signingAlgorithm: ALG,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
    ],
  })
  const issue = async (subject: string, extensions: x509.Extension[]): Promise<CertAndKey> => {
    const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject,
      issuer: caCert.subject,
      notBefore,
      notAfter,
      signingAlgorithm: ALG,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      extensions,
    })
    return { certPem: `${cert.toString('pem')}\n`, keyPem: await keyPem(keys.privateKey) }
  }
  const server = await issue('CN=localhost', [
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension([
      { type: 'dns', value: 'localhost' },
      { type: 'ip', value: '127.0.0.1' },
    ]),
  ])
  const push = await issue(`${UID_OID}=${topic}, CN=APSP:${topic}`, [
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
  ])
  return {
    ca: { certPem: `${caCert.toString('pem')}\n`, keyPem: await keyPem(caKeys.privateKey) },
    server,
    push: { ...push, topic },
  }
}
