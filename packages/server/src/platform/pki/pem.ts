import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { webcrypto } from 'node:crypto'
import * as pkijs from 'pkijs'

// Both libraries do their signing and hashing through WebCrypto; Node's is the only engine here.
x509.cryptoProvider.set(webcrypto)
pkijs.setEngine('node-webcrypto', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto }))

/** DER bytes as a PEM block with the given label (`CERTIFICATE`, `PRIVATE KEY`…). */
export function toPem(label: string, der: ArrayBuffer | Uint8Array): string {
  const base64 = Buffer.from(der instanceof Uint8Array ? der : new Uint8Array(der))
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd()
  return `-----BEGIN ${label}-----\n${base64}\n-----END ${label}-----\n`
}

/** The DER bytes of every PEM block labelled `label` in `text`, in order. */
export function pemBlocks(text: string, label: string): Buffer[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g')
  return [...text.matchAll(pattern)].map((match) => Buffer.from(match[1] ?? '', 'base64'))
}

/** A Buffer's bytes as a standalone ArrayBuffer (pkijs and WebCrypto want exact buffers). */
export function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength)
  copy.set(bytes)
  return copy.buffer
}

/** Parses one DER certificate into pkijs' model (for CMS). */
export function pkijsCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(arrayBufferOf(der))
}
