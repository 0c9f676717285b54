import {
  addTeamUsers,
  applyTeamSpecs,
  createTeam,
  deleteTeam,
  getTeam,
  getTeamSecrets,
  listTeams,
  listTeamUsers,
  modifyTeam,
  modifyTeamAgentOptions,
  modifyTeamSecrets,
  removeTeamUsers,
  type Team as TeamJson,
} from '@fleet/api'
import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import type { DeletionHooks } from '../../platform/deletion-hooks.js'
import { isoTime } from '../../platform/clock.js'
import { allowed } from '../../platform/authz/index.js'
import {
  registerEndpoint,
  type EndpointRegistrar,
  type RequestCtx,
} from '../../platform/http/index.js'
import { presentSecret } from '../enroll-secrets/index.js'
import { presentUser, teamsOfUsers } from '../users/index.js'
import { teamDirectory } from './team-directory.js'
import type { Team } from './team.js'
import { teamCounts } from './teams.read.js'
import * as secrets from './team-secrets.service.js'
import * as service from './teams.service.js'

/** What stands in for an enroll secret the user may not read (Fleet's mask). */
const MASKED_SECRET = '********'

/** A team's secrets, masked unless `ctx`'s user may read them (decided once per team). */
function presentTeamSecrets(
  ctx: RequestCtx,
  teamId: number,
  secrets: readonly Parameters<typeof presentSecret>[0][],
): TeamJson['secrets'] {
  const visible = secrets.map(presentSecret)
  if (allowed(ctx.authz, { type: 'enroll_secret', teamId }, 'read')) {
    return visible
  }
  return visible.map((secret) => ({ ...secret, secret: MASKED_SECRET }))
}

/**
 * Teams on the wire, with user and host counts and secrets loaded in three queries for the whole
 * list. A team's secrets are masked, as Fleet does, unless `ctx`'s user may read them (admins and
 * maintainers, global or of that team): observers and gitops users see that secrets exist only.
 */
export async function presentTeams(
  db: Db,
  ctx: RequestCtx,
  teams: readonly Team[],
): Promise<TeamJson[]> {
  const { userCounts, secrets, hostCounts } = await teamCounts(
    db,
    teams.map((t) => t.id),
  )
  return teams.map((team) => ({
    id: team.id,
    created_at: isoTime(team.createdAt),
    name: team.name,
    description: team.description,
    agent_options: team.agentOptions,
    user_count: userCounts.get(team.id) ?? 0,
    host_count: hostCounts.get(team.id) ?? 0,
    secrets: presentTeamSecrets(ctx, team.id, secrets.get(team.id) ?? []),
    features: team.settings.features,
    webhook_settings: team.settings.webhook_settings,
    host_expiry_settings: team.settings.host_expiry_settings,
    integrations: team.settings.integrations,
    mdm: team.settings.mdm,
    scripts: team.settings.scripts,
  }))
}

/** One team, with its users and their role on it (Fleet shows them for one team, not in lists). */
async function presentOne(db: Db, ctx: RequestCtx, team: Team): Promise<{ team: TeamJson }> {
  const [[json], members] = await Promise.all([
    presentTeams(db, ctx, [team]),
    service.teamMembers(db, team.id),
  ])
  if (!json) {
    throw new Error('presenting a team produced nothing')
  }
  const names = await teamsOfUsers(teamDirectory, db, members)
  const users = members.flatMap((user) => {
    const role = user.teams.find((t) => t.teamId === team.id)?.role
    return role ? [{ ...presentUser(user, names), role }] : []
  })
  return { team: { ...json, users } }
}

export function registerTeamRoutes(
  r: EndpointRegistrar,
  { deps, deletion }: { deps: Deps; deletion: DeletionHooks<number> },
): void {
  registerEndpoint(r, listTeams, async ({ query }, ctx) => ({
    teams: await presentTeams(deps.db, ctx, await service.listTeams(deps, ctx, query)),
  }))
  registerEndpoint(r, createTeam, async ({ body }, ctx) =>
    presentOne(deps.db, ctx, await service.createTeam(deps, ctx, body)),
  )
  registerEndpoint(r, getTeam, async ({ params }, ctx) =>
    presentOne(deps.db, ctx, await service.getTeam(deps, ctx, params.id)),
  )
  registerEndpoint(r, modifyTeam, async ({ params, body }, ctx) =>
    presentOne(deps.db, ctx, await service.modifyTeam(deps, ctx, params.id, body)),
  )
  registerEndpoint(r, deleteTeam, async ({ params }, ctx) => {
    await service.deleteTeam(deps, ctx, params.id, deletion)
    return {}
  })
  registerEndpoint(r, modifyTeamAgentOptions, async ({ params, body, query }, ctx) =>
    presentOne(
      deps.db,
      ctx,
      await service.modifyTeamAgentOptions(deps, ctx, params.id, body, query),
    ),
  )
  registerEndpoint(r, listTeamUsers, async ({ params, query }, ctx) => {
    const users = await service.listTeamUsers(deps, ctx, params.id, query)
    const names = await teamsOfUsers(teamDirectory, deps.db, users)
    return { users: users.map((user) => presentUser(user, names)) }
  })
  registerEndpoint(r, addTeamUsers, async ({ params, body }, ctx) =>
    presentOne(deps.db, ctx, await service.addTeamUsers(deps, ctx, params.id, body.users)),
  )
  registerEndpoint(r, removeTeamUsers, async ({ params, body }, ctx) =>
    presentOne(deps.db, ctx, await service.removeTeamUsers(deps, ctx, params.id, body.users)),
  )
  registerEndpoint(r, getTeamSecrets, async ({ params }, ctx) => ({
    secrets: (await secrets.getTeamSecrets(deps, ctx, params.id)).map(presentSecret),
  }))
  registerEndpoint(r, modifyTeamSecrets, async ({ params, body }, ctx) => ({
    secrets: (await secrets.modifyTeamSecrets(deps, ctx, params.id, body.secrets)).map(
      presentSecret,
    ),
  }))
  registerEndpoint(r, applyTeamSpecs, async ({ body, query }, ctx) => ({
    team_ids_by_name: await service.applyTeamSpecs(deps, ctx, body.specs, query),
  }))
}
