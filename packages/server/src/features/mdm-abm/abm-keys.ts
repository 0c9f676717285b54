import type { Db } from '../../db/database.js'
import type { Clock } from '../../platform/clock.js'
import { isUniqueViolation } from '../../platform/db/index.js'
import { createSelfSignedCa, type CertAndKey } from '../../platform/pki/x509.js'
import type { SecretBox } from '../../platform/secret-box.js'
import * as store from './mdm-abm.store.js'

/** The subject of the certificate ABM encrypts server tokens to. */
const ABM_KEY_NAME = 'CN=Fleet ABM, O=Fleet, C=US'

function open(sealed: Map<string, string>, box: SecretBox): CertAndKey | undefined {
  const cert = sealed.get('cert')
  const key = sealed.get('key')
  if (cert === undefined || key === undefined) {
    return undefined
  }
  return {
    certPem: box.open(cert, 'abm_cert').toString('utf8'),
    keyPem: box.open(key, 'abm_key').toString('utf8'),
  }
}

/** The ABM key pair, or undefined before anyone asked for the public key. */
export async function readAbmKeys(db: Db, box: SecretBox): Promise<CertAndKey | undefined> {
  return open(await store.readKeys(db), box)
}

/**
 * The ABM key pair, generated (RSA 2048, self-signed certificate, 10 years) and stored sealed the
 * first time; a concurrent first call on another instance wins and its pair is returned.
 */
export async function ensureAbmKeys(db: Db, box: SecretBox, clock: Clock): Promise<CertAndKey> {
  const existing = await readAbmKeys(db, box)
  if (existing) {
    return existing
  }
  const made = await createSelfSignedCa({ name: ABM_KEY_NAME, years: 10, now: clock.now() })
  const sealed = new Map([
    ['cert', box.seal(Buffer.from(made.certPem), 'abm_cert')],
    ['key', box.seal(Buffer.from(made.keyPem), 'abm_key')],
  ])
  try {
    await store.insertKeys(db, sealed, clock.now().getTime())
    return made
  } catch (err) {
    const raced = isUniqueViolation(err) ? await readAbmKeys(db, box) : undefined
    if (!raced) {
      throw err
    }
    return raced
  }
}
