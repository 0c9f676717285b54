import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { webcrypto } from 'node:crypto'

x509.cryptoProvider.set(webcrypto)

/** userId (UID), where an APNs push certificate names its topic; @peculiar/x509 lacks the name. */
export const UID_OID = '0.9.2342.19200300.100.1.1'

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }

/** A certificate and its private key, both PEM. */
export interface CertAndKey {
  certPem: string
  keyPem: string
}

/** A throw-away certificate authority for tests: TLS servers, APNs push certs, clients. */
export interface TestPki {
  ca: CertAndKey
  /** A server certificate for localhost / 127.0.0.1. */
  issueServer(): Promise<CertAndKey>
  /** A client certificate; `uid` sets the subject UID (an APNs push cert's topic). */
  issueClient(commonName: string, uid?: string): Promise<CertAndKey>
}

function pem(label: string, der: ArrayBuffer): string {
  const body = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
  return `-----BEGIN ${label}-----\n${body.trimEnd()}\n-----END ${label}-----\n`
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(12)))
    .toString('hex')
    .replace(/^[89a-f]/, '1')
}

async function keyPem(keys: { privateKey: webcrypto.CryptoKey }): Promise<string> {
  return pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey))
}

/** Generates a fresh CA (ECDSA P-256, valid one day either side of now). */
export async function createTestPki(name = 'Fleet test CA'): Promise<TestPki> {
  const notBefore = new Date(Date.now() - 86_400_000)
  const notAfter = new Date(Date.now() + 86_400_000)
  const caKeys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name}`,
    notBefore,
    notAfter,
    signingAlgorithm: ALG,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
    ],
  })

  async function issue(subject: string, extensions: x509.Extension[]): Promise<CertAndKey> {
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
    return { certPem: cert.toString('pem') + '\n', keyPem: await keyPem(keys) }
  }

  return {
    ca: { certPem: caCert.toString('pem') + '\n', keyPem: await keyPem(caKeys) },
    issueServer: () =>
      issue('CN=localhost', [
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([
          { type: 'dns', value: 'localhost' },
          { type: 'ip', value: '127.0.0.1' },
        ]),
      ]),
    issueClient: (commonName, uid) =>
      issue(uid ? `${UID_OID}=${uid}, CN=${commonName}` : `CN=${commonName}`, [
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      ]),
  }
}
