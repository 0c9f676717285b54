import type * as x509 from '@peculiar/x509'
import { pemBlocks } from '../../platform/pki/pem.js'
import { keyMatchesCertificate, parseCertificatePem, subjectUid } from '../../platform/pki/x509.js'

/** What `mdm_config_assets` holds, by name (every value sealed). */
export const MDM_ASSET_NAMES = [
  'apns_cert',
  'apns_key',
  'ca_cert',
  'ca_key',
  'scep_challenge',
] as const
export type MdmAssetName = (typeof MDM_ASSET_NAMES)[number]

/** Fleet's text for any certificate it refuses (not PEM, key mismatch, wrong topic). */
export const INVALID_APNS_CERTIFICATE =
  'Invalid certificate. Please provide a valid certificate from Apple Push Certificate Portal.'

/** Fleet's link for the missing `server.private_key`. */
const PRIVATE_KEY_HELP =
  'Missing required private key. Learn how to configure the private key here: https://fleetdm.com/learn-more-about/fleet-server-private-key (set server.private_key / FLEET_SERVER_PRIVATE_KEY)'

/** Fleet's refusal when the server has no private key to seal MDM secrets with. */
export function missingPrivateKeyMessage(action: string): string {
  return `Couldn't ${action}. ${PRIVATE_KEY_HELP}`
}

/** The APNs push certificate: what the pusher needs to reach Apple for this server's topic. */
export interface PushCertificate {
  certPem: string
  keyPem: string
  /** From the certificate's subject UID, `com.apple.mgmt.External.<uuid>` for Apple's. */
  topic: string
  cert: x509.X509Certificate
}

/** The SCEP CA: issues device identity certificates, signs CertReps and enrollment profiles. */
export interface ScepCa {
  certPem: string
  certDer: Buffer
  keyPem: string
  cert: x509.X509Certificate
}

/** Every Apple MDM asset that exists, opened. */
export interface AppleMdmAssets {
  push?: PushCertificate
  ca?: ScepCa
  scepChallenge?: string
}

/** The APNs topic of a certificate, or why it has none (nanomdm's texts). */
export function apnsTopic(cert: x509.X509Certificate): { topic: string } | { problem: string } {
  const uid = subjectUid(cert)
  if (uid === undefined) {
    return { problem: 'no APNs Topic found' }
  }
  return uid.startsWith('com.apple.mgmt')
    ? { topic: uid }
    : { problem: `invalid APNs Topic: "${uid}"` }
}

/**
 * Checks an uploaded push certificate with its key: a PEM certificate, the key's own, with a
 * topic starting `com.apple.mgmt`. Returns it, or the problems (field, reason) to answer with.
 */
export function checkPushCertificate(
  certPem: string,
  keyPem: string,
): { push: PushCertificate } | { problems: { name: string; reason: string }[] } {
  const cert = parseCertificatePem(certPem)
  if (!cert) {
    return { problems: [{ name: 'certificate', reason: INVALID_APNS_CERTIFICATE }] }
  }
  if (!keyMatchesCertificate(cert, keyPem)) {
    return {
      problems: [
        { name: 'certificate', reason: INVALID_APNS_CERTIFICATE },
        { name: 'private_key', reason: 'the private key does not match the certificate' },
      ],
    }
  }
  const topic = apnsTopic(cert)
  if ('problem' in topic) {
    return {
      problems: [
        { name: 'certificate', reason: INVALID_APNS_CERTIFICATE },
        { name: 'topic', reason: `${topic.problem}: it must start with com.apple.mgmt` },
      ],
    }
  }
  return { push: { certPem, keyPem, topic: topic.topic, cert } }
}

/** The SCEP CA from its stored PEMs, or undefined when they don't parse. */
export function scepCaFrom(certPem: string, keyPem: string): ScepCa | undefined {
  const cert = parseCertificatePem(certPem)
  const [certDer] = pemBlocks(certPem, 'CERTIFICATE')
  return cert && certDer ? { certPem, certDer, keyPem, cert } : undefined
}

/** A certificate's serial number in decimal, as Fleet shows it. */
export function decimalSerial(hex: string): string {
  return BigInt(`0x${hex || '0'}`).toString(10)
}
