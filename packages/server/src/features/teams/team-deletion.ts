import type { Db } from '../../db/database.js'

/**
 * What another feature deletes with a team, inside the team's deletion transaction. Foreign keys
 * with `ON DELETE CASCADE` clean most features' rows; this is for rows whose `team_id` is not a
 * foreign key (MDM profiles: `team_id` 0 means "No team", so it cannot reference `teams`).
 */
export type TeamDeletionStep = (trx: Db, teamId: number) => Promise<void>

/** Steps registered by later modules (`use(TEAM_DELETION).register(step)`), run in order. */
export interface TeamDeletionHooks {
  register(step: TeamDeletionStep): void
  run(trx: Db, teamId: number): Promise<void>
}

export function createTeamDeletionHooks(): TeamDeletionHooks {
  const steps: TeamDeletionStep[] = []
  return {
    register: (step) => {
      steps.push(step)
    },
    run: async (trx, teamId) => {
      for (const step of steps) {
        await step(trx, teamId)
      }
    },
  }
}
