import 'reflect-metadata'
import * as asn1js from 'asn1js'
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  webcrypto,
  X509Certificate,
  type KeyObject,
} from 'node:crypto'
import * as pkijs from 'pkijs'

// The device side of SCEP's CMS, self-contained: the simulator may use only npm packages (the
// server's platform/pki is out of reach by design).
pkijs.setEngine('sim-webcrypto', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto }))

const DATA = '1.2.840.113549.1.7.1'
const SIGNED_DATA = '1.2.840.113549.1.7.2'
const ENVELOPED_DATA = '1.2.840.113549.1.7.3'
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1'
const AES_256_CBC = '2.16.840.1.101.3.4.1.42'
const DES_EDE3_CBC = '1.2.840.113549.3.7'

const view = (bytes: Uint8Array): ArrayBuffer => new Uint8Array(bytes).buffer

function wrap(contentType: string, content: asn1js.BaseBlock): Buffer {
  return Buffer.from(new pkijs.ContentInfo({ contentType, content }).toSchema().toBER(false))
}

function unwrap(der: Uint8Array, contentType: string): asn1js.AsnType {
  const info = pkijs.ContentInfo.fromBER(view(der))
  if (info.contentType !== contentType) {
    throw new Error(`expected CMS ${contentType}, got ${info.contentType}`)
  }
  return info.content as asn1js.AsnType
}

/** An AES-256-CBC EnvelopedData to `recipientDer`, its key sent with RSAES-PKCS1-v1_5 (as devices do). */
export function envelopeTo(content: Uint8Array, recipientDer: Uint8Array): Buffer {
  const key = randomBytes(32)
  const iv = randomBytes(16)
  const cipher = createCipheriv('aes-256-cbc', key, iv)
  const encrypted = Buffer.concat([cipher.update(content), cipher.final()])
  const recipient = pkijs.Certificate.fromBER(view(recipientDer))
  const wrappedKey = publicEncrypt(
    { key: new X509Certificate(recipientDer).publicKey, padding: constants.RSA_PKCS1_PADDING },
    key,
  )
  const enveloped = new pkijs.EnvelopedData({
    version: 0,
    recipientInfos: [
      new pkijs.RecipientInfo({
        variant: 1,
        value: new pkijs.KeyTransRecipientInfo({
          version: 0,
          rid: new pkijs.IssuerAndSerialNumber({
            issuer: recipient.issuer,
            serialNumber: recipient.serialNumber,
          }),
          keyEncryptionAlgorithm: new pkijs.AlgorithmIdentifier({
            algorithmId: RSA_ENCRYPTION,
            algorithmParams: new asn1js.Null(),
          }),
          encryptedKey: new asn1js.OctetString({ valueHex: view(wrappedKey) }),
        }),
      }),
    ],
    encryptedContentInfo: new pkijs.EncryptedContentInfo({
      contentType: DATA,
      contentEncryptionAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: AES_256_CBC,
        algorithmParams: new asn1js.OctetString({ valueHex: view(iv) }),
      }),
      encryptedContent: new asn1js.OctetString({ valueHex: view(encrypted) }),
    }),
  })
  return wrap(ENVELOPED_DATA, enveloped.toSchema())
}

/**
 * Opens an EnvelopedData with the device key. Node refuses PKCS#1 v1.5 private decryption, so the
 * key is recovered with raw RSA and unpadded here (a client decrypting its own reply is no oracle).
 */
export function openEnvelope(der: Uint8Array, privateKey: KeyObject): Buffer {
  const enveloped = new pkijs.EnvelopedData({ schema: unwrap(der, ENVELOPED_DATA) })
  const recipient = enveloped.recipientInfos[0]?.value
  if (!(recipient instanceof pkijs.KeyTransRecipientInfo)) {
    throw new Error('no key-transport recipient')
  }
  const raw = privateDecrypt(
    { key: privateKey, padding: constants.RSA_NO_PADDING },
    Buffer.from(recipient.encryptedKey.getValue()),
  )
  const key = raw.subarray(raw.indexOf(0, 2) + 1)
  const algorithm = enveloped.encryptedContentInfo.contentEncryptionAlgorithm
  const params = algorithm.algorithmParams as unknown
  const name = algorithm.algorithmId === DES_EDE3_CBC ? 'des-ede3-cbc' : `aes-${key.length * 8}-cbc`
  if (!(params instanceof asn1js.OctetString)) {
    throw new Error('envelope without an IV')
  }
  const decipher = createDecipheriv(name, key, Buffer.from(params.getValue()))
  const encrypted = Buffer.from(enveloped.encryptedContentInfo.getEncryptedContent())
  return Buffer.concat([decipher.update(encrypted), decipher.final()])
}

/** A SignedData over `content` (carried inside unless `detached`) by `certDer`/`key` with SHA-256 and the given extra attributes. */
export async function signWith(
  content: Uint8Array,
  certDer: Uint8Array,
  key: webcrypto.CryptoKey,
  extra: pkijs.Attribute[],
  options: { detached?: boolean } = {},
): Promise<Buffer> {
  const cert = pkijs.Certificate.fromBER(view(certDer))
  const digest = createHash('sha256').update(content).digest()
  const signed = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: DATA,
      // Detached: the signature travels apart from the content (MDM's Mdm-Signature header).
      ...(options.detached
        ? {}
        : { eContent: new asn1js.OctetString({ valueHex: view(content) }) }),
    }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({
          issuer: cert.issuer,
          serialNumber: cert.serialNumber,
        }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({
              type: '1.2.840.113549.1.9.3',
              values: [new asn1js.ObjectIdentifier({ value: DATA })],
            }),
            new pkijs.Attribute({
              type: '1.2.840.113549.1.9.4',
              values: [new asn1js.OctetString({ valueHex: view(digest) })],
            }),
            ...extra,
          ],
        }),
      }),
    ],
    certificates: [cert],
  })
  await signed.sign(key, 0, 'SHA-256')
  return wrap(SIGNED_DATA, signed.toSchema(true))
}

/** A verified SignedData: its content, signer certificate and signed attributes by OID. */
export async function readSigned(der: Uint8Array): Promise<{
  content: Buffer
  signerDer: Buffer
  certificatesDer: Buffer[]
  attributes: Map<string, asn1js.AsnType>
}> {
  const signed = new pkijs.SignedData({ schema: unwrap(der, SIGNED_DATA) })
  const certificatesDer = (signed.certificates ?? [])
    .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
    .map((c) => Buffer.from(c.toSchema().toBER(false)))
  const content = Buffer.from(signed.encapContentInfo.eContent?.getValue() ?? new ArrayBuffer(0))
  const attributes = new Map<string, asn1js.AsnType>()
  if (signed.signerInfos.length === 0) {
    return { content, signerDer: Buffer.alloc(0), certificatesDer, attributes }
  }
  const result = await signed.verify({ signer: 0, data: view(content), extendedMode: true })
  if (!result.signatureVerified || !result.signerCertificate) {
    throw new Error('CertRep signature does not verify')
  }
  for (const attr of signed.signerInfos[0]?.signedAttrs?.attributes ?? []) {
    const [value] = attr.values as asn1js.AsnType[]
    if (value !== undefined) {
      attributes.set(attr.type, value)
    }
  }
  return {
    content,
    signerDer: Buffer.from(result.signerCertificate.toSchema().toBER(false)),
    certificatesDer,
    attributes,
  }
}
