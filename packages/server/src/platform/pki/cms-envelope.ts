import * as asn1js from 'asn1js'
import {
  constants,
  createCipheriv,
  createDecipheriv,
  publicEncrypt,
  randomBytes,
  X509Certificate,
  type KeyObject,
} from 'node:crypto'
import * as pkijs from 'pkijs'
import { contentInfoDer, OID } from './cms-sign.js'
import { CmsError, parseContentInfo } from './cms-verify.js'
import { arrayBufferOf, pkijsCertificate } from './pem.js'
import { rsaPkcs1Decrypt } from './rsa-pkcs1.js'

/** Content-encryption algorithms SCEP clients use (AES when the CA advertises it, else 3DES). */
const CIPHERS = {
  'aes-128-cbc': { oid: '2.16.840.1.101.3.4.1.2', keyLength: 16, ivLength: 16 },
  'aes-256-cbc': { oid: '2.16.840.1.101.3.4.1.42', keyLength: 32, ivLength: 16 },
  'des-ede3-cbc': { oid: '1.2.840.113549.3.7', keyLength: 24, ivLength: 8 },
} as const

export type CipherName = keyof typeof CIPHERS

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1'

function cipherByOid(oid: string): CipherName | undefined {
  return (Object.keys(CIPHERS) as CipherName[]).find((name) => CIPHERS[name].oid === oid)
}

/**
 * A CMS EnvelopedData (in a ContentInfo, DER) of `content`, its key transported to the RSA
 * recipient with RSAES-PKCS1-v1_5 (what SCEP clients decrypt), the recipient named by issuer and
 * serial.
 */
export function envelopeCms(
  content: Uint8Array,
  recipientCertDer: Uint8Array,
  cipher: CipherName = 'aes-256-cbc',
): Buffer {
  const spec = CIPHERS[cipher]
  const key = randomBytes(spec.keyLength)
  const iv = randomBytes(spec.ivLength)
  const c = createCipheriv(cipher, key, iv)
  const encrypted = Buffer.concat([c.update(content), c.final()])
  const recipientKey = new X509Certificate(recipientCertDer).publicKey
  const encryptedKey = publicEncrypt(
    { key: recipientKey, padding: constants.RSA_PKCS1_PADDING },
    key,
  )
  const cert = pkijsCertificate(recipientCertDer)
  const envelope = new pkijs.EnvelopedData({
    version: 0,
    recipientInfos: [
      new pkijs.RecipientInfo({
        variant: 1,
        value: new pkijs.KeyTransRecipientInfo({
          version: 0,
          rid: new pkijs.IssuerAndSerialNumber({
            issuer: cert.issuer,
            serialNumber: cert.serialNumber,
          }),
          keyEncryptionAlgorithm: new pkijs.AlgorithmIdentifier({
            algorithmId: RSA_ENCRYPTION,
            algorithmParams: new asn1js.Null(),
          }),
          encryptedKey: new asn1js.OctetString({ valueHex: arrayBufferOf(encryptedKey) }),
        }),
      }),
    ],
    encryptedContentInfo: new pkijs.EncryptedContentInfo({
      contentType: OID.data,
      contentEncryptionAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: spec.oid,
        algorithmParams: new asn1js.OctetString({ valueHex: arrayBufferOf(iv) }),
      }),
      encryptedContent: new asn1js.OctetString({ valueHex: arrayBufferOf(encrypted) }),
    }),
  })
  return contentInfoDer(OID.envelopedData, envelope.toSchema())
}

/** What an envelope held, and the cipher its sender chose (a reply should use the same). */
export interface OpenedEnvelope {
  content: Buffer
  cipher: CipherName
}

/** Decrypts a CMS EnvelopedData addressed (key transport) to the holder of `privateKey`. */
export function openEnvelopeCms(der: Uint8Array, privateKey: KeyObject): OpenedEnvelope {
  let envelope: pkijs.EnvelopedData
  try {
    envelope = new pkijs.EnvelopedData({ schema: parseContentInfo(der, OID.envelopedData) })
  } catch (err) {
    throw err instanceof CmsError ? err : new CmsError('malformed EnvelopedData')
  }
  const recipient = envelope.recipientInfos.find((r) => r.variant === 1)?.value
  if (!(recipient instanceof pkijs.KeyTransRecipientInfo)) {
    throw new CmsError('no key-transport recipient')
  }
  if (recipient.keyEncryptionAlgorithm.algorithmId !== RSA_ENCRYPTION) {
    throw new CmsError(`unsupported key encryption ${recipient.keyEncryptionAlgorithm.algorithmId}`)
  }
  const info = envelope.encryptedContentInfo
  const cipher = cipherByOid(info.contentEncryptionAlgorithm.algorithmId)
  const params = info.contentEncryptionAlgorithm.algorithmParams as unknown
  if (!cipher || !(params instanceof asn1js.OctetString)) {
    throw new CmsError(
      `unsupported content encryption ${info.contentEncryptionAlgorithm.algorithmId}`,
    )
  }
  const encrypted = info.getEncryptedContent()
  const key = rsaPkcs1Decrypt(
    privateKey,
    Buffer.from(recipient.encryptedKey.getValue()),
    CIPHERS[cipher].keyLength,
  )
  try {
    const d = createDecipheriv(cipher, key, Buffer.from(params.getValue()))
    return { content: Buffer.concat([d.update(Buffer.from(encrypted)), d.final()]), cipher }
  } catch {
    throw new CmsError('envelope does not decrypt with this key')
  }
}
