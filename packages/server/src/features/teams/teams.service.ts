import {
  ErrorCode,
  listLimits,
  type EndpointRequest,
  type Role,
  type TeamSpec,
  type createTeam as createTeamEndpoint,
  type modifyTeam as modifyTeamEndpoint,
} from '@fleet/api'
import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import { authorize } from '../../platform/authz/index.js'
import {
  AlreadyExistsError,
  InvalidArgumentError,
  NotFoundError,
  ValidationError,
} from '../../platform/errors/index.js'
import type { DeletionHooks } from '../../platform/deletion-hooks.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { publish } from '../../platform/pubsub/index.js'
import { recordActivity } from '../activities/index.js'
import { replaceScopeSecrets } from '../enroll-secrets/index.js'
import {
  findUser,
  listUsersOfTeams,
  recordRoleChanges,
  removeTeamRole,
  upsertTeamRole,
  type User,
} from '../users/index.js'
import {
  defaultTeamSettings,
  mergeTeamSettings,
  parseAgentOptions,
  teamSettingsProblems,
  type Team,
} from './team.js'
import { TEAMS_CHANGED } from './teams.channels.js'
import { teamDirectory } from './team-directory.js'
import * as store from './teams.store.js'

type TeamDeps = Pick<Deps, 'db' | 'clock' | 'pubsub'>

async function mustFindTeam(db: Db, id: number): Promise<Team> {
  const team = await store.findTeam(db, id)
  if (!team) {
    throw new NotFoundError(`team ${id}`, ErrorCode.TEAM_NOT_FOUND)
  }
  return team
}

async function checkNameFree(db: Db, name: string, exceptId?: number): Promise<void> {
  const existing = await store.findTeamByName(db, name)
  if (existing && existing.id !== exceptId) {
    throw new AlreadyExistsError(
      'name',
      `a team named "${existing.name}" already exists`,
      ErrorCode.TEAM_NAME_EXISTS,
    )
  }
}

function checkSettings(settings: Team['settings']): void {
  const problems = teamSettingsProblems(settings)
  if (problems.length > 0) {
    throw new ValidationError(problems)
  }
}

/** Teams the user may see: all for global users, their own for team users. */
export async function listTeams(
  deps: TeamDeps,
  ctx: RequestCtx,
  query: {
    page?: number
    per_page?: number
    order_key?: string
    order_direction: 'asc' | 'desc'
    query?: string
  },
): Promise<Team[]> {
  const subject = authorize(ctx.authz, { type: 'team' }, 'list')
  const orderKey = (['id', 'name', 'created_at'] as const).find(
    (k) => k === (query.order_key ?? 'name'),
  )
  if (!orderKey) {
    throw InvalidArgumentError.field('order_key', 'must be one of id, name, created_at')
  }
  return store.listTeams(deps.db, {
    query: query.query,
    ids: subject.globalRole ? undefined : [...subject.teamRoles.keys()],
    orderKey,
    direction: query.order_direction,
    ...listLimits(query),
  })
}

export async function getTeam(deps: TeamDeps, ctx: RequestCtx, id: number): Promise<Team> {
  authorize(ctx.authz, { type: 'team', teamId: id }, 'read')
  return mustFindTeam(deps.db, id)
}

export async function createTeam(
  deps: TeamDeps,
  ctx: RequestCtx,
  input: EndpointRequest<typeof createTeamEndpoint>['body'],
): Promise<Team> {
  authorize(ctx.authz, { type: 'team' }, 'create')
  const settings = mergeTeamSettings(defaultTeamSettings(), input)
  checkSettings(settings)
  await checkNameFree(deps.db, input.name)
  return deps.db.transaction().execute(async (trx) => {
    const id = await store.insertTeam(trx, {
      name: input.name,
      description: input.description ?? '',
      settings,
      agentOptions: null,
      now: deps.clock.now().getTime(),
    })
    await recordActivity(trx, deps.clock, ctx, {
      type: 'created_team',
      details: { team_id: id, team_name: input.name },
    })
    if (input.secrets !== undefined) {
      await replaceScopeSecrets(trx, deps, ctx, { teamId: id, teamName: input.name }, input.secrets)
    }
    return mustFindTeam(trx, id)
  })
}

/**
 * Fleet documents `host_ids` and `user_ids` on `PATCH /teams/{id}` but ignores them; rather than
 * answer 200 having done nothing, name the endpoints that do it (users need a role there, too).
 */
function refuseMembershipLists(input: { host_ids?: number[]; user_ids?: number[] }): void {
  const problems: { name: string; reason: string }[] = []
  if (input.host_ids !== undefined) {
    problems.push({
      name: 'host_ids',
      reason: 'not supported here: move hosts with POST /api/latest/fleet/hosts/transfer',
    })
  }
  if (input.user_ids !== undefined) {
    problems.push({
      name: 'user_ids',
      reason:
        'not supported here: add users with their role with PATCH /api/latest/fleet/teams/{id}/users',
    })
  }
  if (problems.length > 0) {
    throw new InvalidArgumentError(problems)
  }
}

export async function modifyTeam(
  deps: TeamDeps,
  ctx: RequestCtx,
  id: number,
  input: EndpointRequest<typeof modifyTeamEndpoint>['body'],
): Promise<Team> {
  authorize(ctx.authz, { type: 'team', teamId: id }, 'write')
  refuseMembershipLists(input)
  const team = await mustFindTeam(deps.db, id)
  const settings = mergeTeamSettings(team.settings, input)
  checkSettings(settings)
  if (input.name !== undefined) {
    await checkNameFree(deps.db, input.name, id)
  }
  return deps.db.transaction().execute(async (trx) => {
    await store.updateTeam(trx, id, { name: input.name, description: input.description, settings })
    await recordActivity(trx, deps.clock, ctx, {
      type: 'edited_team',
      details: { team_id: id, team_name: input.name ?? team.name, previous_name: team.name },
    })
    return mustFindTeam(trx, id)
  })
}

/** Deletes a team; `deletion` runs other features' clean-up in the same transaction. */
export async function deleteTeam(
  deps: TeamDeps,
  ctx: RequestCtx,
  id: number,
  deletion: DeletionHooks<number>,
): Promise<void> {
  authorize(ctx.authz, { type: 'team', teamId: id }, 'delete')
  const team = await mustFindTeam(deps.db, id)
  await deps.db.transaction().execute(async (trx) => {
    await deletion.run(trx, id)
    await store.deleteTeam(trx, id)
    await recordActivity(trx, deps.clock, ctx, {
      type: 'deleted_team',
      details: { team_id: id, team_name: team.name },
    })
  })
  await publish(deps.pubsub, TEAMS_CHANGED, id)
}

function agentOptionsOrThrow(value: unknown, force: boolean) {
  const result = parseAgentOptions(value, force)
  if ('problems' in result) {
    throw new InvalidArgumentError(result.problems)
  }
  return result.options
}

export async function modifyTeamAgentOptions(
  deps: TeamDeps,
  ctx: RequestCtx,
  id: number,
  options: Record<string, unknown>,
  flags: { force: boolean; dry_run: boolean },
): Promise<Team> {
  authorize(ctx.authz, { type: 'team', teamId: id }, 'write')
  const team = await mustFindTeam(deps.db, id)
  const agentOptions = agentOptionsOrThrow(options, flags.force)
  if (flags.dry_run) {
    return { ...team, agentOptions }
  }
  const updated = await deps.db.transaction().execute(async (trx) => {
    await store.updateTeam(trx, id, { agentOptions })
    await recordActivity(trx, deps.clock, ctx, {
      type: 'edited_agent_options',
      details: { global: false, team_id: id, team_name: team.name },
    })
    return mustFindTeam(trx, id)
  })
  await publish(deps.pubsub, TEAMS_CHANGED, id)
  return updated
}

/** Every user of a team, by name (shown with the team, as Fleet does for one team). */
export function teamMembers(db: Db, id: number): Promise<User[]> {
  return listUsersOfTeams(db, { teamId: id, orderKey: 'name', direction: 'asc', offset: 0 })
}

export async function listTeamUsers(
  deps: TeamDeps,
  ctx: RequestCtx,
  id: number,
  query: { page?: number; per_page?: number; order_direction: 'asc' | 'desc'; query?: string },
): Promise<User[]> {
  authorize(ctx.authz, { type: 'team', teamId: id }, 'read')
  await mustFindTeam(deps.db, id)
  return listUsersOfTeams(deps.db, {
    teamId: id,
    query: query.query,
    orderKey: 'name',
    direction: query.order_direction,
    ...listLimits(query),
  })
}

async function changeMembers(
  deps: TeamDeps,
  ctx: RequestCtx,
  id: number,
  users: readonly { id: number; role?: Role }[],
): Promise<Team> {
  authorize(ctx.authz, { type: 'team', teamId: id }, 'write')
  const team = await mustFindTeam(deps.db, id)
  const targets: User[] = []
  for (const { id: userId } of users) {
    const user = await findUser(deps.db, userId)
    if (!user) {
      throw new NotFoundError(`user ${userId}`, ErrorCode.USER_NOT_FOUND)
    }
    if (user.globalRole) {
      throw InvalidArgumentError.field(
        'users',
        `user ${userId} has a global role; global and team roles are exclusive`,
      )
    }
    authorize(ctx.authz, { type: 'user', userId, globalRole: null, teamIds: [id] }, 'assign_role')
    targets.push(user)
  }
  return deps.db.transaction().execute(async (trx) => {
    for (const [index, user] of targets.entries()) {
      const role = users[index]?.role
      if (role) {
        await upsertTeamRole(trx, user.id, id, role)
      } else {
        await removeTeamRole(trx, user.id, id)
      }
      const after = await findUser(trx, user.id)
      if (after) {
        await recordRoleChanges(trx, { clock: deps.clock, teams: teamDirectory }, ctx, user, after)
      }
    }
    return team
  })
}

export function addTeamUsers(
  deps: TeamDeps,
  ctx: RequestCtx,
  id: number,
  users: readonly { id: number; role: Role }[],
): Promise<Team> {
  return changeMembers(deps, ctx, id, users)
}

export function removeTeamUsers(
  deps: TeamDeps,
  ctx: RequestCtx,
  id: number,
  users: readonly { id: number }[],
): Promise<Team> {
  return changeMembers(
    deps,
    ctx,
    id,
    users.map((u) => ({ id: u.id })),
  )
}

/**
 * `fleetctl apply` of team specs: creates missing teams and updates existing ones (matched by name,
 * ignoring case) in one transaction. Agent options and secrets, when given, replace the current ones.
 */
export async function applyTeamSpecs(
  deps: TeamDeps,
  ctx: RequestCtx,
  specs: readonly TeamSpec[],
  flags: { force: boolean; dry_run: boolean },
): Promise<Record<string, number>> {
  const names = new Set<string>()
  for (const spec of specs) {
    if (names.has(spec.name.toLowerCase())) {
      throw InvalidArgumentError.field('specs', `team "${spec.name}" appears more than once`)
    }
    names.add(spec.name.toLowerCase())
  }
  const existing = new Map<string, Team>()
  for (const spec of specs) {
    const team = await store.findTeamByName(deps.db, spec.name)
    authorize(ctx.authz, { type: 'team', teamId: team?.id }, team ? 'write' : 'create')
    if (team) {
      existing.set(spec.name.toLowerCase(), team)
    }
  }
  const prepared = specs.map((spec) => {
    const current = existing.get(spec.name.toLowerCase())
    const settings = mergeTeamSettings(current?.settings ?? defaultTeamSettings(), spec)
    checkSettings(settings)
    const agentOptions =
      spec.agent_options === undefined
        ? undefined
        : spec.agent_options === null
          ? null
          : agentOptionsOrThrow(spec.agent_options, flags.force)
    if (spec.secrets !== undefined && current) {
      authorize(ctx.authz, { type: 'enroll_secret', teamId: current.id }, 'write')
    }
    return { spec, current, settings, agentOptions }
  })
  if (flags.dry_run) {
    return Object.fromEntries(prepared.map(({ spec, current }) => [spec.name, current?.id ?? 0]))
  }
  const applied = await deps.db.transaction().execute(async (trx) => {
    const ids: Record<string, number> = {}
    for (const { spec, current, settings, agentOptions } of prepared) {
      let id = current?.id
      if (id === undefined) {
        id = await store.insertTeam(trx, {
          name: spec.name,
          description: spec.description ?? '',
          settings,
          agentOptions: agentOptions ?? null,
          now: deps.clock.now().getTime(),
        })
        await recordActivity(trx, deps.clock, ctx, {
          type: 'created_team',
          details: { team_id: id, team_name: spec.name },
        })
      } else {
        await store.updateTeam(trx, id, {
          name: spec.name,
          description: spec.description,
          settings,
          agentOptions,
        })
      }
      if (agentOptions !== undefined && current) {
        await recordActivity(trx, deps.clock, ctx, {
          type: 'edited_agent_options',
          details: { global: false, team_id: id, team_name: spec.name },
        })
      }
      if (spec.secrets !== undefined) {
        await replaceScopeSecrets(trx, deps, ctx, { teamId: id, teamName: spec.name }, spec.secrets)
      }
      ids[spec.name] = id
    }
    await recordActivity(trx, deps.clock, ctx, {
      type: 'applied_spec_team',
      details: { teams: Object.entries(ids).map(([name, id]) => ({ id, name })) },
    })
    return ids
  })
  for (const id of Object.values(applied)) {
    await publish(deps.pubsub, TEAMS_CHANGED, id)
  }
  return applied
}
