import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { createPrivateKey, webcrypto } from 'node:crypto'

x509.cryptoProvider.set(webcrypto)

export interface TlsFiles {
  cert: string
  key: string
  certPath: string
  keyPath: string
  generated: boolean
}

/**
 * A warning for certificates whose handshakes cost far more server CPU than ECDSA P-256 (RSA
 * signing dominated Fleet's CPU at scale, fleetdm/fleet#655; bench B8 measures the ratio here),
 * or undefined when the key is not RSA.
 */
export function tlsKeyWarning(key: string): string | undefined {
  const type = createPrivateKey(key).asymmetricKeyType
  if (type !== 'rsa' && type !== 'rsa-pss') {
    return undefined
  }
  return (
    'the TLS certificate has an RSA key: every new agent connection costs the server several ' +
    'times the CPU of an ECDSA P-256 certificate; consider an ECDSA certificate'
  )
}

function toPem(label: string, der: ArrayBuffer): string {
  const base64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
  return `-----BEGIN ${label}-----\n${base64.trimEnd()}\n-----END ${label}-----\n`
}

async function generate(names: string[]): Promise<{ cert: string; key: string }> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])
  const notBefore = new Date(Date.now() - 60_000)
  const notAfter = new Date(notBefore.getTime() + 825 * 86_400_000)
  const san = names.map((name) =>
    /^[\d.]+$|:/.test(name)
      ? { type: 'ip' as const, value: name }
      : { type: 'dns' as const, value: name },
  )
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: `CN=${names[0] ?? 'localhost'}, O=Fleet (self-signed)`,
    notBefore,
    notAfter,
    signingAlgorithm: algorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(san),
    ],
  })
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)
  return { cert: cert.toString('pem') + '\n', key: toPem('PRIVATE KEY', pkcs8) }
}

/**
 * The server's certificate: the configured files, or a self-signed ECDSA P-256 certificate
 * generated once into `<dataDir>/tls/` and reused on every start (ECDSA handshakes cost far less
 * than RSA). Its names cover localhost, the loopback addresses and this machine's hostname.
 */
export async function loadOrCreateTls(options: {
  certPath: string
  keyPath: string
  dataDir: string
}): Promise<TlsFiles> {
  if (options.certPath && options.keyPath) {
    return {
      cert: readFileSync(options.certPath, 'utf8'),
      key: readFileSync(options.keyPath, 'utf8'),
      certPath: options.certPath,
      keyPath: options.keyPath,
      generated: false,
    }
  }
  const dir = join(options.dataDir, 'tls')
  const certPath = join(dir, 'server.crt')
  const keyPath = join(dir, 'server.key')
  if (existsSync(certPath) && existsSync(keyPath)) {
    return {
      cert: readFileSync(certPath, 'utf8'),
      key: readFileSync(keyPath, 'utf8'),
      certPath,
      keyPath,
      generated: false,
    }
  }
  const names = [...new Set(['localhost', hostname(), '127.0.0.1', '::1'])]
  const { cert, key } = await generate(names)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  writeFileSync(keyPath, key, { mode: 0o600 })
  writeFileSync(certPath, cert, { mode: 0o644 })
  return { cert, key, certPath, keyPath, generated: true }
}
