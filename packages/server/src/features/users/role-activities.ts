import type { Db } from '../../db/database.js'
import type { Clock } from '../../platform/clock.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { recordActivity } from '../activities/index.js'
import { teamsOfUsers, type TeamDirectory } from './team-directory.js'
import type { User } from './user.js'

/**
 * Records Fleet's role activities for the difference between a user before and after a change:
 * changed/deleted_user_global_role and changed/deleted_user_team_role.
 */
export async function recordRoleChanges(
  trx: Db,
  { clock, teams }: { clock: Clock; teams: TeamDirectory },
  ctx: Pick<RequestCtx, 'actor'>,
  before: User | undefined,
  after: User,
): Promise<void> {
  const names = await teamsOfUsers(teams, trx, before ? [before, after] : [after])
  const teamName = (id: number) => names.get(id)?.name ?? ''
  const who = { user_id: after.id, user_name: after.name, user_email: after.email }
  if (before?.globalRole && before.globalRole !== after.globalRole) {
    await recordActivity(trx, clock, ctx, {
      type: 'deleted_user_global_role',
      details: { ...who, role: before.globalRole },
    })
  }
  if (after.globalRole && after.globalRole !== before?.globalRole) {
    await recordActivity(trx, clock, ctx, {
      type: 'changed_user_global_role',
      details: { ...who, role: after.globalRole },
    })
  }
  const beforeTeams = new Map(before?.teams.map((t) => [t.teamId, t]) ?? [])
  const afterTeams = new Map(after.teams.map((t) => [t.teamId, t]))
  for (const [teamId, old] of beforeTeams) {
    if (!afterTeams.has(teamId)) {
      await recordActivity(trx, clock, ctx, {
        type: 'deleted_user_team_role',
        details: { ...who, role: old.role, team_id: teamId, team_name: teamName(teamId) },
      })
    }
  }
  for (const [teamId, now] of afterTeams) {
    if (beforeTeams.get(teamId)?.role !== now.role) {
      await recordActivity(trx, clock, ctx, {
        type: 'changed_user_team_role',
        details: { ...who, role: now.role, team_id: teamId, team_name: teamName(teamId) },
      })
    }
  }
}
