import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { createHash } from 'node:crypto'
import { InvalidArgumentError } from '../../platform/errors/index.js'
import { CmsError, verifyCms } from '../../platform/pki/cms-verify.js'
import type { ScepCa } from '../mdm-setup/index.js'

/** The identity (SCEP) certificate a request was signed with. */
export interface DeviceIdentity {
  /** Hex SHA-256 of the certificate's DER: what enrollments are bound to. */
  sha256: string
  subject: string
}

/** Why a device's request was refused: always a 400, never a 401 (Apple unenrolls on 401). */
export function refused(reason: string): InvalidArgumentError {
  return InvalidArgumentError.field('Mdm-Signature', reason)
}

/** A header value is at most a few KiB of base64; anything far larger is not a signature. */
const MAX_SIGNATURE_CHARS = 64 * 1024

/**
 * Verifies `Mdm-Signature` (base64 of a detached CMS SignedData over the exact body) and that
 * its signer certificate was issued by our SCEP CA and is within its validity. Returns the
 * certificate's hash, or throws a 400 saying why (missing header, bad signature, other CA).
 */
export async function verifyDeviceIdentity(
  header: string | undefined,
  body: Buffer,
  ca: ScepCa,
  now: Date,
): Promise<DeviceIdentity> {
  if (!header) {
    throw refused('missing Mdm-Signature header')
  }
  if (header.length > MAX_SIGNATURE_CHARS) {
    throw refused('Mdm-Signature too large')
  }
  let signerDer: Buffer
  try {
    signerDer = (await verifyCms(Buffer.from(header, 'base64'), body)).signerCertDer
  } catch (err) {
    throw refused(
      err instanceof CmsError ? `bad Mdm-Signature: ${err.message}` : 'bad Mdm-Signature',
    )
  }
  const cert = new x509.X509Certificate(signerDer)
  const issued =
    cert.issuer === ca.cert.subject &&
    (await cert.verify({ publicKey: ca.cert.publicKey, signatureOnly: true }).catch(() => false))
  if (!issued) {
    throw refused('signer certificate not issued by the MDM SCEP CA')
  }
  if (now < cert.notBefore || now > cert.notAfter) {
    throw refused('signer certificate expired or not yet valid')
  }
  return { sha256: createHash('sha256').update(signerDer).digest('hex'), subject: cert.subject }
}
