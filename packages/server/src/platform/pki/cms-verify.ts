import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import { OID } from './cms-sign.js'
import { arrayBufferOf } from './pem.js'

/** Why a CMS message was refused: its text says what was wrong, never secret material. */
export class CmsError extends Error {
  override readonly name = 'CmsError'
}

export interface VerifiedCms {
  /** The signed bytes (the detached content when one was given). */
  content: Buffer
  /** The signer's certificate, DER, as carried in the message. */
  signerCertDer: Buffer
  /** Every certificate the message carries, DER. */
  certificatesDer: Buffer[]
  /** The signer's signed attributes by OID (first value of each). */
  attributes: ReadonlyMap<string, asn1js.AsnType>
}

/** Parses a DER ContentInfo of the given type; throws CmsError when it is not one. */
export function parseContentInfo(der: Uint8Array, contentType: string): asn1js.AsnType {
  let info: pkijs.ContentInfo
  try {
    info = pkijs.ContentInfo.fromBER(arrayBufferOf(der))
  } catch {
    throw new CmsError('not a CMS ContentInfo')
  }
  if (info.contentType !== contentType) {
    throw new CmsError(`unexpected CMS content type ${info.contentType}`)
  }
  return info.content as asn1js.AsnType
}

function octets(value: asn1js.OctetString): Buffer {
  return Buffer.from(value.getValue())
}

/**
 * Verifies a CMS SignedData with exactly one signer against the certificate it carries (no
 * chain check: the caller decides whom to trust) and returns what was signed, by whom, and the
 * signed attributes. `detachedContent` is the content of a detached signature.
 */
export async function verifyCms(
  der: Uint8Array,
  detachedContent?: Uint8Array,
): Promise<VerifiedCms> {
  const schema = parseContentInfo(der, OID.signedData)
  let signed: pkijs.SignedData
  try {
    signed = new pkijs.SignedData({ schema })
  } catch {
    throw new CmsError('malformed SignedData')
  }
  if (signed.signerInfos.length !== 1) {
    throw new CmsError(`expected one signer, found ${signed.signerInfos.length}`)
  }
  const eContent = signed.encapContentInfo.eContent
  const content = detachedContent
    ? Buffer.from(detachedContent)
    : eContent
      ? octets(eContent)
      : undefined
  if (!content) {
    throw new CmsError('SignedData carries no content')
  }
  let result: pkijs.SignedDataVerifyResult
  try {
    result = await signed.verify({
      signer: 0,
      data: arrayBufferOf(content),
      checkChain: false,
      extendedMode: true,
    })
  } catch {
    throw new CmsError('signature does not verify')
  }
  if (!result.signatureVerified || !result.signerCertificate) {
    throw new CmsError('signature does not verify')
  }
  const attributes = new Map<string, asn1js.AsnType>()
  for (const attr of signed.signerInfos[0]?.signedAttrs?.attributes ?? []) {
    const [first] = attr.values as asn1js.AsnType[]
    if (first !== undefined) {
      attributes.set(attr.type, first)
    }
  }
  const certificatesDer = (signed.certificates ?? [])
    .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
    .map((c) => Buffer.from(c.toSchema().toBER(false)))
  return {
    content,
    signerCertDer: Buffer.from(result.signerCertificate.toSchema().toBER(false)),
    certificatesDer,
    attributes,
  }
}

/** The certificates of a certs-only SignedData, DER. */
export function certificatesOfCms(der: Uint8Array): Buffer[] {
  const signed = new pkijs.SignedData({ schema: parseContentInfo(der, OID.signedData) })
  return (signed.certificates ?? [])
    .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
    .map((c) => Buffer.from(c.toSchema().toBER(false)))
}
