import { X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadOrCreateTls, tlsKeyWarning } from './tls.js'

describe('self-signed certificate', () => {
  it('is ECDSA P-256 for localhost, generated once and then reused', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fleet-tls-'))
    const first = await loadOrCreateTls({ certPath: '', keyPath: '', dataDir })
    expect(first.generated).toBe(true)
    const cert = new X509Certificate(first.cert)
    expect(cert.publicKey.asymmetricKeyType).toBe('ec')
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1')
    expect(cert.checkHost('localhost')).toBe('localhost')
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1')
    expect(cert.checkPrivateKey(createPrivateKey(first.key))).toBe(true)
    expect(cert.verify(cert.publicKey)).toBe(true)
    expect(statSync(first.keyPath).mode & 0o777).toBe(0o600)
    const second = await loadOrCreateTls({ certPath: '', keyPath: '', dataDir })
    expect(second.generated).toBe(false)
    expect(second.cert).toBe(first.cert)
  })
})

describe('tlsKeyWarning', () => {
  const pem = (key: ReturnType<typeof generateKeyPairSync>['privateKey']) =>
    key.export({ type: 'pkcs8', format: 'pem' }).toString()

  it('warns about RSA keys, which cost several times the handshake CPU of ECDSA', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    expect(tlsKeyWarning(pem(privateKey))).toMatch(/RSA key.*ECDSA/)
  })

  it('says nothing for the default ECDSA P-256 key', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fleet-tls-'))
    const tls = await loadOrCreateTls({ certPath: '', keyPath: '', dataDir })
    expect(tlsKeyWarning(tls.key)).toBeUndefined()
  })
})
