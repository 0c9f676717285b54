import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { createHash } from 'node:crypto'
import type { Db } from '../../db/database.js'
import { CmsError, verifyCms } from '../../platform/pki/cms-verify.js'
import type { ScepCa } from '../mdm-setup/index.js'
import { findIssuedCertificate } from './mdm-scep.store.js'

/** Fleet's cap on the decoded header: real signatures are under 4 KiB. */
const MAX_SIGNATURE_BYTES = 10 * 1024

/** The device identity an `Mdm-Signature` proves: its SCEP certificate, by hex SHA-256. */
export interface DeviceIdentity {
  sha256: string
  certificateDer: Buffer
  commonName: string
}

/**
 * Checks an `Mdm-Signature` header (base64 of a detached CMS SignedData over the exact body, as
 * devices send with `SignMessage`): the signature verifies, the signer is a current certificate
 * this SCEP CA issued and still on record (not revoked). Returns the identity, or the reason to
 * refuse with — a 400 for the device, never a 401 (Apple treats 401 as unenrolled).
 */
export async function verifyMdmSignature(
  db: Db,
  ca: ScepCa,
  header: string | undefined,
  body: Uint8Array,
  now: Date,
): Promise<{ identity: DeviceIdentity } | { refused: string }> {
  if (!header) {
    return { refused: 'missing Mdm-Signature' }
  }
  const der = Buffer.from(header, 'base64')
  if (der.length === 0 || der.length > MAX_SIGNATURE_BYTES) {
    return { refused: 'malformed Mdm-Signature' }
  }
  let signerDer: Buffer
  try {
    signerDer = (await verifyCms(der, body)).signerCertDer
  } catch (err) {
    return { refused: `Mdm-Signature: ${err instanceof CmsError ? err.message : 'malformed'}` }
  }
  const cert = new x509.X509Certificate(signerDer)
  const signedByCa = await cert
    .verify({ publicKey: ca.cert.publicKey, signatureOnly: true })
    .catch(() => false)
  if (!signedByCa || now < cert.notBefore || now >= cert.notAfter) {
    return { refused: 'Mdm-Signature signer is not a current certificate of this SCEP CA' }
  }
  const sha256 = createHash('sha256').update(signerDer).digest('hex')
  const issued = await findIssuedCertificate(db, sha256)
  if (!issued) {
    return { refused: 'Mdm-Signature signer is not an issued, unrevoked certificate' }
  }
  return { identity: { sha256, certificateDer: signerDer, commonName: issued.commonName } }
}
