import * as asn1js from 'asn1js'
import { randomBytes } from 'node:crypto'
import { attribute } from '../../platform/pki/cms-sign.js'
import type { VerifiedCms } from '../../platform/pki/cms-verify.js'
import { arrayBufferOf } from '../../platform/pki/pem.js'

/** SCEP's signed attributes (RFC 8894 §3.2.1.1, under 2.16.840.1.113733.1.9). */
export const SCEP_OID = {
  messageType: '2.16.840.1.113733.1.9.2',
  pkiStatus: '2.16.840.1.113733.1.9.3',
  failInfo: '2.16.840.1.113733.1.9.4',
  senderNonce: '2.16.840.1.113733.1.9.5',
  recipientNonce: '2.16.840.1.113733.1.9.6',
  transactionID: '2.16.840.1.113733.1.9.7',
} as const

/** messageType values (decimal strings, as the attribute carries them). */
export const MESSAGE_TYPE = {
  certRep: '3',
  renewalReq: '17',
  pkcsReq: '19',
  getCertInitial: '20',
} as const
export const PKI_STATUS = { success: '0', failure: '2', pending: '3' } as const
/** failInfo values. */
export const FAIL_INFO = {
  badAlg: '0',
  badMessageCheck: '1',
  badRequest: '2',
  badTime: '3',
  badCertId: '4',
} as const
export type FailInfo = keyof typeof FAIL_INFO

/** What the server reads from a PKIOperation request's signed attributes. */
export interface ScepRequestAttributes {
  messageType: string
  transactionId: string
  senderNonce: Buffer
}

function printable(value: asn1js.AsnType | undefined): string | undefined {
  return value instanceof asn1js.PrintableString ? value.valueBlock.value : undefined
}

function octets(value: asn1js.AsnType | undefined): Buffer | undefined {
  return value instanceof asn1js.OctetString ? Buffer.from(value.getValue()) : undefined
}

/** The SCEP attributes of a verified request, or undefined when one is missing. */
export function scepAttributes(cms: VerifiedCms): ScepRequestAttributes | undefined {
  const messageType = printable(cms.attributes.get(SCEP_OID.messageType))
  const transactionId = printable(cms.attributes.get(SCEP_OID.transactionID))
  const senderNonce = octets(cms.attributes.get(SCEP_OID.senderNonce))
  if (messageType === undefined || transactionId === undefined || senderNonce === undefined) {
    return undefined
  }
  return { messageType, transactionId, senderNonce }
}

/**
 * The signed attributes of a CertRep answering `request`: SUCCESS, or FAILURE with its failInfo;
 * the transaction ID copied, the request's nonce as recipientNonce and a fresh senderNonce.
 */
export function certRepAttributes(
  request: ScepRequestAttributes,
  outcome: { status: 'success' } | { status: 'failure'; failInfo: FailInfo },
) {
  const attrs = [
    attribute(SCEP_OID.messageType, new asn1js.PrintableString({ value: MESSAGE_TYPE.certRep })),
    attribute(
      SCEP_OID.pkiStatus,
      new asn1js.PrintableString({ value: PKI_STATUS[outcome.status] }),
    ),
    attribute(SCEP_OID.transactionID, new asn1js.PrintableString({ value: request.transactionId })),
    attribute(
      SCEP_OID.senderNonce,
      new asn1js.OctetString({ valueHex: arrayBufferOf(randomBytes(16)) }),
    ),
    attribute(
      SCEP_OID.recipientNonce,
      new asn1js.OctetString({ valueHex: arrayBufferOf(request.senderNonce) }),
    ),
  ]
  if (outcome.status === 'failure') {
    attrs.push(
      attribute(
        SCEP_OID.failInfo,
        new asn1js.PrintableString({ value: FAIL_INFO[outcome.failInfo] }),
      ),
    )
  }
  return attrs
}

/** What GetCACaps advertises: Apple clients POST the PKIOperation when POSTPKIOperation is there. */
export const CA_CAPS = ['AES', 'POSTPKIOperation', 'Renewal', 'SCEPStandard', 'SHA-256', 'DES3']
