import * as asn1js from 'asn1js'
import { createHash, type webcrypto } from 'node:crypto'
import * as pkijs from 'pkijs'
import { arrayBufferOf, pkijsCertificate } from './pem.js'

/** CMS object identifiers used across SCEP, MDM and profiles. */
export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  envelopedData: '1.2.840.113549.1.7.3',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
} as const

export interface SignOptions {
  /** The bytes signed: carried inside unless `detached`. */
  content: Uint8Array
  /** Leave the content out (an `Mdm-Signature` header signs a body sent beside it). */
  detached?: boolean
  signerCertDer: Uint8Array
  signerKey: webcrypto.CryptoKey
  /** More certificates to carry (a chain). */
  extraCertificatesDer?: readonly Uint8Array[]
  /** Signed attributes after contentType, signingTime and messageDigest (SCEP's). */
  attributes?: readonly pkijs.Attribute[]
  signingTime?: Date
}

/** A signed attribute with one value. */
export function attribute(type: string, value: asn1js.BaseBlock): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] })
}

/**
 * A CMS SignedData (in a ContentInfo, DER) over `content`, signed with SHA-256 by one signer
 * named by issuer and serial, with the standard signed attributes plus `attributes`.
 */
export async function signCms(options: SignOptions): Promise<Buffer> {
  const cert = pkijsCertificate(options.signerCertDer)
  const digest = createHash('sha256').update(options.content).digest()
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
      attribute(
        OID.signingTime,
        new asn1js.UTCTime({ valueDate: options.signingTime ?? new Date() }),
      ),
      attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: arrayBufferOf(digest) })),
      ...(options.attributes ?? []),
    ],
  })
  const signed = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: OID.data,
      ...(options.detached
        ? {}
        : { eContent: new asn1js.OctetString({ valueHex: arrayBufferOf(options.content) }) }),
    }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({
          issuer: cert.issuer,
          serialNumber: cert.serialNumber,
        }),
        signedAttrs,
      }),
    ],
    certificates: [cert, ...(options.extraCertificatesDer ?? []).map(pkijsCertificate)],
  })
  await signed.sign(options.signerKey, 0, 'SHA-256')
  return contentInfoDer(OID.signedData, signed.toSchema(true))
}

/** A "degenerate" certs-only SignedData (no signers): how SCEP hands out certificates. */
export function certsOnlyCms(certificatesDer: readonly Uint8Array[]): Buffer {
  const signed = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: certificatesDer.map(pkijsCertificate),
    signerInfos: [],
  })
  return contentInfoDer(OID.signedData, signed.toSchema(true))
}

/** Wraps a CMS content in a ContentInfo, DER-encoded. */
export function contentInfoDer(contentType: string, content: asn1js.BaseBlock): Buffer {
  const info = new pkijs.ContentInfo({ contentType, content })
  return Buffer.from(info.toSchema().toBER(false))
}
