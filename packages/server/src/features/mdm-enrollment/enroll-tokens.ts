import type { Db } from '../../db/database.js'

/** Another feature's check of an enrollment URL `?token=` (automatic enrollment's DEP profiles). */
export type EnrollTokenCheck = (db: Db, token: string) => Promise<boolean>

/**
 * The `?token=` kinds `/api/mdm/apple/enroll` accepts besides enroll secrets: features later in
 * the module list add theirs (mdm-abm: the token in each DEP profile's URL).
 */
export interface EnrollTokenChecks {
  add(check: EnrollTokenCheck): void
  accepts(db: Db, token: string): Promise<boolean>
}

export function createEnrollTokenChecks(): EnrollTokenChecks {
  const checks: EnrollTokenCheck[] = []
  return {
    add: (check) => void checks.push(check),
    async accepts(db, token) {
      for (const check of checks) {
        if (await check(db, token)) {
          return true
        }
      }
      return false
    },
  }
}
