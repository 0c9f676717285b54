import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import * as asn1js from 'asn1js'
import { createPrivateKey, createPublicKey, randomBytes, randomUUID, webcrypto } from 'node:crypto'
import { SCEP_OID } from '../features/mdm-scep/scep-message.js'
import { envelopeCms, openEnvelopeCms, type CipherName } from '../platform/pki/cms-envelope.js'
import { attribute, signCms } from '../platform/pki/cms-sign.js'
import { certificatesOfCms, verifyCms, type VerifiedCms } from '../platform/pki/cms-verify.js'
import { arrayBufferOf } from '../platform/pki/pem.js'
import {
  generateRsaKeys,
  importRsaSigningKey,
  privateKeyPem,
  randomSerial,
  RSA_SHA256,
} from '../platform/pki/x509.js'

/** A PEM private key as a WebCrypto RSA key pair (its public half derived from it). */
async function importKeyPair(keyPem: string): Promise<webcrypto.CryptoKeyPair> {
  const privateKey = await importRsaSigningKey(keyPem)
  const spki = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' })
  const publicKey = await webcrypto.subtle.importKey('spki', spki, RSA_SHA256, true, ['verify'])
  return { privateKey, publicKey }
}

/** One HTTP exchange with the SCEP URL (in-process inject, or a real socket). */
export type ScepTransport = (request: {
  method: 'GET' | 'POST'
  query: string
  body?: Buffer
}) => Promise<{ statusCode: number; body: Buffer; contentType: string }>

export interface ScepResult {
  pkiStatus: string
  failInfo?: string
  /** The issued certificate (SUCCESS). */
  certificate?: x509.X509Certificate
  keyPem: string
  transactionId: string
  recipientNonceMatches: boolean
  /** The CertRep as verified (the CA signed it). */
  rep: VerifiedCms
}

/**
 * A SCEP client as an Apple device runs it (RFC 8894): a fresh RSA-2048 key, a CSR carrying the
 * challenge, enveloped to the CA and signed with a throw-away self-signed certificate of the same
 * key; the CertRep is verified and its envelope opened with the key. `tamper` alters the
 * request's signature; `messageType` sends something other than PKCSReq.
 */
export async function scepEnroll(
  send: ScepTransport,
  options: {
    challenge: string
    commonName?: string
    cipher?: CipherName
    tamper?: boolean
    messageType?: string
    /** Renew: sign with this identity (and reuse its key), as RenewalReq does. */
    renewWith?: { certDer: Buffer; keyPem: string }
  },
): Promise<ScepResult | { statusCode: number; body: string }> {
  const ca = await send({ method: 'GET', query: 'operation=GetCACert' })
  const keys = options.renewWith
    ? await importKeyPair(options.renewWith.keyPem)
    : await generateRsaKeys(2048)
  const name = `CN=${options.commonName ?? `fleet-testdevice-${randomUUID()}`}`
  const now = Date.now()
  const signerDer =
    options.renewWith?.certDer ??
    Buffer.from(
      (
        await x509.X509CertificateGenerator.createSelfSigned({
          serialNumber: randomSerial(),
          name,
          notBefore: new Date(now - 60_000),
          notAfter: new Date(now + 86_400_000),
          signingAlgorithm: RSA_SHA256,
          keys,
          extensions: [
            new x509.KeyUsagesExtension(
              x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
            ),
          ],
        })
      ).rawData,
    )
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name,
    keys,
    signingAlgorithm: RSA_SHA256,
    attributes: [new x509.ChallengePasswordAttribute(options.challenge)],
  })
  const transactionId = randomBytes(16).toString('hex')
  const nonce = randomBytes(16)
  const message = await signCms({
    content: envelopeCms(Buffer.from(csr.rawData), ca.body, options.cipher),
    signerCertDer: signerDer,
    signerKey: keys.privateKey,
    attributes: [
      attribute(
        SCEP_OID.messageType,
        new asn1js.PrintableString({ value: options.messageType ?? '19' }),
      ),
      attribute(SCEP_OID.transactionID, new asn1js.PrintableString({ value: transactionId })),
      attribute(SCEP_OID.senderNonce, new asn1js.OctetString({ valueHex: arrayBufferOf(nonce) })),
    ],
  })
  if (options.tamper) {
    // the signature value ends the message: flip its last byte
    message[message.length - 1] = (message[message.length - 1] ?? 0) ^ 0xff
  }
  const res = await send({ method: 'POST', query: 'operation=PKIOperation', body: message })
  if (res.statusCode !== 200) {
    return { statusCode: res.statusCode, body: res.body.toString('utf8') }
  }
  const rep = await verifyCms(res.body)
  const text = (oid: string) => {
    const value = rep.attributes.get(oid)
    return value instanceof asn1js.PrintableString ? value.valueBlock.value : undefined
  }
  const recipientNonce = rep.attributes.get(SCEP_OID.recipientNonce)
  const keyPem = await privateKeyPem(keys.privateKey)
  const result: ScepResult = {
    pkiStatus: text(SCEP_OID.pkiStatus) ?? '',
    transactionId: text(SCEP_OID.transactionID) ?? '',
    recipientNonceMatches:
      recipientNonce instanceof asn1js.OctetString &&
      Buffer.from(recipientNonce.getValue()).equals(nonce),
    keyPem,
    rep,
  }
  const failInfo = text(SCEP_OID.failInfo)
  if (failInfo !== undefined) {
    result.failInfo = failInfo
  }
  if (result.pkiStatus === '0') {
    const opened = openEnvelopeCms(rep.content, createPrivateKey(keyPem))
    const [der] = certificatesOfCms(opened.content)
    result.certificate = der && new x509.X509Certificate(der)
  }
  return result
}
