import type { Db } from '../../db/database.js'
import type { IssuedCertificate } from './issue-certificate.js'

export async function insertIssuedCertificate(
  db: Db,
  cert: IssuedCertificate,
  now: number,
): Promise<void> {
  await db
    .insertInto('mdm_scep_certificates')
    .values({
      serial: cert.serial,
      sha256: cert.sha256,
      common_name: cert.commonName,
      not_valid_before: cert.notValidBefore.getTime(),
      not_valid_after: cert.notValidAfter.getTime(),
      certificate_pem: cert.pem,
      created_at: now,
      revoked: 0,
    })
    .execute()
}

/** An issued, unrevoked certificate by the hex SHA-256 of its DER (how check-ins name it). */
export async function findIssuedCertificate(
  db: Db,
  sha256: string,
): Promise<{ serial: string; commonName: string; notValidAfter: number } | undefined> {
  const row = await db
    .selectFrom('mdm_scep_certificates')
    .select(['serial', 'common_name', 'not_valid_after'])
    .where('sha256', '=', sha256)
    .where('revoked', '=', 0)
    .executeTakeFirst()
  return (
    row && { serial: row.serial, commonName: row.common_name, notValidAfter: row.not_valid_after }
  )
}
