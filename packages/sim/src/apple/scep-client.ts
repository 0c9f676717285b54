import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import * as asn1js from 'asn1js'
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto'
import * as pkijs from 'pkijs'
import { Agent, request, type Dispatcher } from 'undici'
import { envelopeTo, openEnvelope, readSigned, signWith } from './scep-cms.js'

x509.cryptoProvider.set(webcrypto)

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const
/** SCEP's signed attributes (RFC 8894). */
const OID = {
  messageType: '2.16.840.1.113733.1.9.2',
  pkiStatus: '2.16.840.1.113733.1.9.3',
  failInfo: '2.16.840.1.113733.1.9.4',
  senderNonce: '2.16.840.1.113733.1.9.5',
  recipientNonce: '2.16.840.1.113733.1.9.6',
  transactionID: '2.16.840.1.113733.1.9.7',
} as const

/** A new RSA-2048 key pair for a device identity (what the SCEP payload's `Keysize` asks). */
export function generateDeviceKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(
    { ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  )
}

/** One HTTP exchange with the SCEP URL. */
export type ScepHttp = (
  method: 'GET' | 'POST',
  url: string,
  body?: Buffer,
) => Promise<{ status: number; body: Buffer }>

/**
 * HTTP over undici, trusting `ca` (PEM) or, without it, any certificate (a simulator's choice);
 * over `shared` (a pool many devices use) when given.
 */
export function undiciScepHttp(ca?: string, shared?: Dispatcher): ScepHttp {
  const dispatcher = shared ?? new Agent({ connect: ca ? { ca } : { rejectUnauthorized: false } })
  return async (method, url, body) => {
    const res = await request(url, {
      method,
      dispatcher,
      ...(body ? { body, headers: { 'content-type': 'application/x-pki-message' } } : {}),
    })
    return { status: res.statusCode, body: Buffer.from(await res.body.arrayBuffer()) }
  }
}

/** The identity a device holds after SCEP: its certificate and key, and the CA that issued it. */
export interface ScepIdentity {
  certificateDer: Buffer
  certificate: x509.X509Certificate
  privateKey: webcrypto.CryptoKey
  keyPem: string
  caDer: Buffer
}

/** A SCEP refusal: the HTTP status, or the CertRep's pkiStatus and failInfo. */
export class ScepError extends Error {
  override readonly name = 'ScepError'
  constructor(
    message: string,
    readonly detail: { status?: number; pkiStatus?: string; failInfo?: string },
  ) {
    super(message)
  }
}

const text = (value: asn1js.AsnType | undefined) =>
  value instanceof asn1js.PrintableString ? value.valueBlock.value : undefined

function pem(label: string, der: ArrayBuffer): string {
  const body = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd()
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`
}

/**
 * Enrolls as an Apple device does with the SCEP payload of an enrollment profile (`url`,
 * `challenge`): GetCACert, an RSA-2048 key, a CSR with the challenge enveloped to the CA and
 * signed by a throw-away self-signed certificate of the same key, then the CertRep — checked to
 * be signed by the CA and to answer this request — opened with the key.
 */
export async function scepEnroll(
  http: ScepHttp,
  options: {
    url: string
    challenge: string
    commonName: string
    /** The device's key pair (default: a new RSA-2048 one, as a Mac makes). */
    keys?: webcrypto.CryptoKeyPair
  },
): Promise<ScepIdentity> {
  const ca = await http('GET', `${options.url}?operation=GetCACert`)
  if (ca.status !== 200) {
    throw new ScepError(`GetCACert answered ${ca.status}`, { status: ca.status })
  }
  const keys = options.keys ?? (await generateDeviceKeys())
  const name = [{ CN: [options.commonName] }]
  const selfSigned = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8)
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: RSA,
    keys,
  })
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name,
    keys,
    signingAlgorithm: RSA,
    attributes: [new x509.ChallengePasswordAttribute(options.challenge)],
  })
  const nonce = randomBytes(16)
  const transactionId = randomBytes(16).toString('hex')
  const attr = (type: string, value: asn1js.BaseBlock) =>
    new pkijs.Attribute({ type, values: [value] })
  const message = await signWith(
    envelopeTo(Buffer.from(csr.rawData), ca.body),
    Buffer.from(selfSigned.rawData),
    keys.privateKey,
    [
      attr(OID.messageType, new asn1js.PrintableString({ value: '19' })),
      attr(OID.transactionID, new asn1js.PrintableString({ value: transactionId })),
      attr(OID.senderNonce, new asn1js.OctetString({ valueHex: new Uint8Array(nonce).buffer })),
    ],
  )
  const res = await http('POST', `${options.url}?operation=PKIOperation`, message)
  if (res.status !== 200) {
    throw new ScepError(`PKIOperation answered ${res.status}`, { status: res.status })
  }
  const rep = await readSigned(res.body)
  const recipientNonce = rep.attributes.get(OID.recipientNonce)
  if (
    !rep.signerDer.equals(ca.body) ||
    text(rep.attributes.get(OID.transactionID)) !== transactionId ||
    !(recipientNonce instanceof asn1js.OctetString) ||
    !Buffer.from(recipientNonce.getValue()).equals(nonce)
  ) {
    throw new ScepError('the CertRep does not answer this request from this CA', {})
  }
  const pkiStatus = text(rep.attributes.get(OID.pkiStatus))
  if (pkiStatus !== '0') {
    const failInfo = text(rep.attributes.get(OID.failInfo))
    throw new ScepError(`SCEP FAILURE (failInfo ${failInfo})`, {
      ...(pkiStatus === undefined ? {} : { pkiStatus }),
      ...(failInfo === undefined ? {} : { failInfo }),
    })
  }
  const keyPem = pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey))
  const issued = await readSigned(openEnvelope(rep.content, createPrivateKey(keyPem)))
  const certificateDer = issued.certificatesDer[0]
  if (!certificateDer) {
    throw new ScepError('SUCCESS without a certificate', { pkiStatus })
  }
  return {
    certificateDer,
    certificate: new x509.X509Certificate(certificateDer),
    privateKey: keys.privateKey,
    keyPem,
    caDer: ca.body,
  }
}
