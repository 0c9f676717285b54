import type { Db } from '../db/database.js'

/**
 * What other features delete with a row of the feature that owns these hooks, inside its
 * deletion transaction. Foreign keys with `ON DELETE CASCADE` clean most rows; this is for rows
 * that reference it without one (MDM profiles' `team_id`, where 0 means "No team") or that
 * belong to a feature the owner cannot import (MDM devices' `host_id`).
 */
export type DeletionStep<K> = (trx: Db, deleted: K) => Promise<void>

/** Steps registered by later modules (`use(KEY).register(step)`), run in order. */
export interface DeletionHooks<K> {
  register(step: DeletionStep<K>): void
  run(trx: Db, deleted: K): Promise<void>
}

export function createDeletionHooks<K>(): DeletionHooks<K> {
  const steps: DeletionStep<K>[] = []
  return {
    register: (step) => {
      steps.push(step)
    },
    run: async (trx, deleted) => {
      for (const step of steps) {
        await step(trx, deleted)
      }
    },
  }
}
