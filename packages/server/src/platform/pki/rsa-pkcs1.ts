import { constants, createHmac, privateDecrypt, type KeyObject } from 'node:crypto'

/**
 * RSAES-PKCS1-v1_5 decryption of a CMS key-transport key. Node refuses PKCS#1 v1.5 private
 * decryption (CVE-2023-46809, the Marvin timing attack), yet SCEP clients, Apple devices among
 * them, encrypt to the CA with nothing else. So the raw RSA result is unpadded here without
 * branching on secret bytes, and a bad padding yields a pseudo-random key derived from the
 * ciphertext (implicit rejection, as OpenSSL 3.2 does) instead of an error: the content then fails
 * to decrypt, and the caller cannot tell a padding error from any other.
 */
export function rsaPkcs1Decrypt(
  key: KeyObject,
  ciphertext: Uint8Array,
  expectedLength: number,
): Buffer {
  const em = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, ciphertext)
  let good = (em[0] === 0 ? 1 : 0) & (em[1] === 2 ? 1 : 0)
  // index of the first zero after the padding string; found stays 1 once the zero is seen
  let separator = 0
  let found = 0
  for (let i = 2; i < em.length; i++) {
    const isZero = em[i] === 0 ? 1 : 0
    const first = isZero & (found ^ 1)
    separator = first ? i : separator
    found |= isZero
  }
  good &= found & (separator >= 10 ? 1 : 0) & (em.length - separator - 1 === expectedLength ? 1 : 0)
  const message = em.subarray(em.length - expectedLength)
  const fallback = createHmac('sha256', key.export({ type: 'pkcs8', format: 'der' }))
    .update(ciphertext)
    .digest()
  const out = Buffer.alloc(expectedLength)
  for (let i = 0; i < expectedLength; i++) {
    out[i] = good ? (message[i] ?? 0) : (fallback[i % fallback.length] ?? 0)
  }
  return out
}
