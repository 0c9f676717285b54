import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { ErrorCode } from '@fleet/api'
import { createHash, createPrivateKey, timingSafeEqual } from 'node:crypto'
import type { Deps } from '../../deps.js'
import { InvalidArgumentError, NotFoundError } from '../../platform/errors/index.js'
import type { Log } from '../../platform/logger.js'
import { envelopeCms, openEnvelopeCms, type CipherName } from '../../platform/pki/cms-envelope.js'
import { certsOnlyCms, signCms } from '../../platform/pki/cms-sign.js'
import { CmsError, verifyCms } from '../../platform/pki/cms-verify.js'
import { importRsaSigningKey } from '../../platform/pki/x509.js'
import type { AppleMdm, ScepCa } from '../mdm-setup/index.js'
import { issueDeviceCertificate } from './issue-certificate.js'
import * as store from './mdm-scep.store.js'
import {
  certRepAttributes,
  MESSAGE_TYPE,
  scepAttributes,
  type FailInfo,
  type ScepRequestAttributes,
} from './scep-message.js'

export interface ScepDeps {
  deps: Pick<Deps, 'db' | 'clock'>
  mdm: AppleMdm
}

/** The CA and challenge, or 404 while Apple MDM is not set up. */
async function scepAssets(s: ScepDeps): Promise<{ ca: ScepCa; challenge: string }> {
  const { ca, scepChallenge } = await s.mdm.current()
  if (!ca || scepChallenge === undefined) {
    throw new NotFoundError('SCEP CA', ErrorCode.MDM_NOT_CONFIGURED, 'Apple MDM is not configured')
  }
  return { ca, challenge: scepChallenge }
}

/** GetCACert: the CA certificate, DER. */
export async function caCertificate(s: ScepDeps): Promise<Buffer> {
  return (await scepAssets(s)).ca.certDer
}

/** Compares without leaking where the texts differ (both hashed to the same length first). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest()
  const b = createHash('sha256').update(expected, 'utf8').digest()
  return timingSafeEqual(a, b)
}

/** PKCS#9 challengePassword. */
const CHALLENGE_PASSWORD = '1.2.840.113549.1.9.7'

/** The CSR's challengePassword attribute, or undefined. */
function challengeOf(csr: x509.Pkcs10CertificateRequest): string | undefined {
  const attr = csr.getAttribute(CHALLENGE_PASSWORD)
  return attr instanceof x509.ChallengePasswordAttribute ? attr.password : undefined
}

/**
 * Whether `der` is a current certificate this CA signed: a RenewalReq signed with it needs no
 * challenge (the device proves it holds an identity the server issued).
 */
async function currentlyIssuedByCa(der: Buffer, ca: ScepCa, now: Date): Promise<boolean> {
  try {
    const cert = new x509.X509Certificate(der)
    const current = cert.notBefore <= now && now < cert.notAfter
    return current && (await cert.verify({ publicKey: ca.cert.publicKey, signatureOnly: true }))
  } catch {
    return false
  }
}

type Outcome =
  | { status: 'success'; certificateDer: Buffer; serial: string }
  | { status: 'failure'; failInfo: FailInfo; why: string }

async function decide(
  s: ScepDeps,
  ca: ScepCa,
  challenge: string,
  request: { attrs: ScepRequestAttributes; envelope: Buffer; signerCertDer: Buffer },
): Promise<Outcome & { cipher?: CipherName }> {
  const { messageType } = request.attrs
  if (messageType !== MESSAGE_TYPE.pkcsReq && messageType !== MESSAGE_TYPE.renewalReq) {
    return {
      status: 'failure',
      failInfo: 'badRequest',
      why: `unsupported messageType ${messageType}`,
    }
  }
  let csrDer: Buffer
  let cipher: CipherName
  try {
    ;({ content: csrDer, cipher } = openEnvelopeCms(request.envelope, createPrivateKey(ca.keyPem)))
  } catch {
    return {
      status: 'failure',
      failInfo: 'badMessageCheck',
      why: 'envelope does not decrypt with the CA key',
    }
  }
  let csr: x509.Pkcs10CertificateRequest
  try {
    csr = new x509.Pkcs10CertificateRequest(csrDer)
    if (!(await csr.verify())) {
      return {
        status: 'failure',
        failInfo: 'badMessageCheck',
        why: 'CSR signature does not verify',
        cipher,
      }
    }
  } catch {
    return { status: 'failure', failInfo: 'badMessageCheck', why: 'not a PKCS#10 CSR', cipher }
  }
  const given = challengeOf(csr)
  const renewal =
    messageType === MESSAGE_TYPE.renewalReq &&
    (await currentlyIssuedByCa(request.signerCertDer, ca, s.deps.clock.now()))
  if (!renewal && (given === undefined || !sameSecret(given, challenge))) {
    return { status: 'failure', failInfo: 'badRequest', why: 'wrong or missing challenge', cipher }
  }
  const issued = await issueDeviceCertificate(ca, csr, s.deps.clock.now())
  await store.insertIssuedCertificate(s.deps.db, issued, s.deps.clock.now().getTime())
  return { status: 'success', certificateDer: issued.der, serial: issued.serial, cipher }
}

/**
 * PKIOperation (RFC 8894): verifies the request's signature (400 when it does not verify or is
 * not SCEP at all), decrypts the CSR with the CA key, checks the challenge in constant time,
 * issues and stores the certificate and answers a CertRep signed by the CA: SUCCESS with the
 * certificate enveloped to the requester's certificate, or FAILURE with its failInfo.
 */
export async function pkiOperation(s: ScepDeps, message: Buffer, log: Log): Promise<Buffer> {
  const { ca, challenge } = await scepAssets(s)
  let verified
  try {
    verified = await verifyCms(message)
  } catch (err) {
    const why = err instanceof CmsError ? err.message : 'malformed message'
    log.debug({ why }, 'SCEP PKIOperation refused')
    throw InvalidArgumentError.field('message', `invalid SCEP message: ${why}`)
  }
  const attrs = scepAttributes(verified)
  if (!attrs) {
    throw InvalidArgumentError.field('message', 'invalid SCEP message: missing SCEP attributes')
  }
  const outcome = await decide(s, ca, challenge, {
    attrs,
    envelope: verified.content,
    signerCertDer: verified.signerCertDer,
  })
  log.debug(
    {
      transactionId: attrs.transactionId,
      messageType: attrs.messageType,
      status: outcome.status,
      ...(outcome.status === 'failure'
        ? { failInfo: outcome.failInfo, why: outcome.why }
        : { serial: outcome.serial }),
    },
    'SCEP PKIOperation',
  )
  const signerKey = await importRsaSigningKey(ca.keyPem)
  if (outcome.status === 'failure') {
    return signCms({
      // an empty content carried inside (not detached: a detached empty content cannot be verified)
      content: Buffer.alloc(0),
      signerCertDer: ca.certDer,
      signerKey,
      attributes: certRepAttributes(attrs, outcome),
    })
  }
  const degenerate = certsOnlyCms([outcome.certificateDer])
  return signCms({
    content: envelopeCms(degenerate, verified.signerCertDer, outcome.cipher),
    signerCertDer: ca.certDer,
    signerKey,
    attributes: certRepAttributes(attrs, outcome),
  })
}
