import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { createPrivateKey } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { envelopeCms, openEnvelopeCms } from './cms-envelope.js'
import { certsOnlyCms, signCms } from './cms-sign.js'
import { certificatesOfCms, verifyCms } from './cms-verify.js'
import { pemBlocks } from './pem.js'
import {
  createSelfSignedCa,
  importRsaSigningKey,
  keyMatchesCertificate,
  parseCertificatePem,
} from './x509.js'

const now = new Date('2026-12-01T00:00:00Z')

async function ca(name = 'CN=Test CA') {
  const created = await createSelfSignedCa({ name, years: 10, now })
  const [der] = pemBlocks(created.certPem, 'CERTIFICATE')
  if (!der) {
    throw new Error('no certificate')
  }
  return { ...created, der, key: await importRsaSigningKey(created.keyPem) }
}

describe('pki', () => {
  it('creates a self-signed RSA CA whose key matches its certificate', async () => {
    const { certPem, keyPem } = await ca()
    const cert = parseCertificatePem(certPem)
    expect(cert?.subject).toBe('CN=Test CA')
    expect(cert && (await cert.isSelfSigned())).toBe(true)
    expect(cert?.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(true)
    expect(cert && keyMatchesCertificate(cert, keyPem)).toBe(true)
    const other = await ca('CN=Other')
    expect(cert && keyMatchesCertificate(cert, other.keyPem)).toBe(false)
    expect(cert && keyMatchesCertificate(cert, 'not a key')).toBe(false)
  })

  it('signs and verifies attached and detached SignedData; altered content fails', async () => {
    const signer = await ca()
    const content = Buffer.from('<plist>body</plist>')
    const attached = await signCms({ content, signerCertDer: signer.der, signerKey: signer.key })
    const verified = await verifyCms(attached)
    expect(verified.content.toString()).toBe(content.toString())
    expect(verified.signerCertDer.equals(signer.der)).toBe(true)

    const detached = await signCms({
      content,
      detached: true,
      signerCertDer: signer.der,
      signerKey: signer.key,
    })
    expect((await verifyCms(detached, content)).signerCertDer.equals(signer.der)).toBe(true)
    await expect(verifyCms(detached, Buffer.from('<plist>other</plist>'))).rejects.toThrow(
      'signature does not verify',
    )
    await expect(verifyCms(Buffer.from('garbage'))).rejects.toThrow('not a CMS ContentInfo')
  })

  it('envelopes to a certificate and opens with its key only', async () => {
    const recipient = await ca()
    const other = await ca('CN=Other')
    for (const cipher of ['aes-256-cbc', 'aes-128-cbc', 'des-ede3-cbc'] as const) {
      const der = envelopeCms(Buffer.from('secret csr'), recipient.der, cipher)
      const opened = openEnvelopeCms(der, createPrivateKey(recipient.keyPem))
      expect(opened).toEqual({ content: Buffer.from('secret csr'), cipher })
      // RSA PKCS#1 v1.5 is opened with implicit rejection (no padding oracle): a wrong key yields a
      // pseudo-random content key, so the content either fails to decrypt or decrypts to noise
      expect(openWithWrongKey(der, other.keyPem)).not.toEqual(Buffer.from('secret csr'))
    }
  })

  it('carries certificates in a certs-only SignedData', async () => {
    const a = await ca()
    expect(certificatesOfCms(certsOnlyCms([a.der]))).toEqual([a.der])
  })
})

function openWithWrongKey(der: Uint8Array, keyPem: string): Buffer | 'refused' {
  try {
    return openEnvelopeCms(der, createPrivateKey(keyPem)).content
  } catch (err) {
    expect((err as Error).message).toBe('envelope does not decrypt with this key')
    return 'refused'
  }
}
