import { ErrorCode, listLimits, type HostFilters } from '@fleet/api'
import type { z } from 'zod'
import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import { authorize, type Subject } from '../../platform/authz/index.js'
import { InvalidArgumentError, NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { recordActivity } from '../activities/index.js'
import { teamExists, teamNames } from '../teams/index.js'
import { displayName, isLinux, type Host, type HostUser } from './host.js'
import * as list from './host-list.store.js'
import * as store from './hosts.store.js'
import { deleteRefreshTimes } from './refresh-times.store.js'

type HostDeps = Pick<Deps, 'db' | 'clock'> & {
  /** Drops hosts from the agent caches of every instance after they changed. */
  invalidateAgents(ids: readonly number[]): Promise<void>
}

type Filters = z.output<typeof HostFilters>

/** Team users see only their teams' hosts; global users (except gitops) see all. */
function visibility(subject: Subject): readonly number[] | undefined {
  return subject.globalRole && subject.globalRole !== 'gitops'
    ? undefined
    : [...subject.teamRoles.keys()]
}

function policyFilter(filters: Filters): list.HostFilter['policy'] {
  if (filters.policy_response === undefined) {
    return undefined
  }
  if (filters.policy_id === undefined) {
    throw InvalidArgumentError.field(
      'policy_id',
      'Missing policy_id (it must be present when policy_response is specified)',
    )
  }
  return { id: filters.policy_id, passes: filters.policy_response === 'passing' }
}

function toFilter(subject: Subject, filters: Filters, now: number): list.HostFilter {
  return {
    policy: policyFilter(filters),
    now,
    query: filters.query,
    status: filters.status,
    teamId: filters.team_id,
    labelId: filters.label_id,
    visibleTeamIds: visibility(subject),
  }
}

export async function listHosts(
  deps: HostDeps,
  ctx: RequestCtx,
  query: Filters & {
    page?: number
    per_page?: number
    order_key?: string
    order_direction: 'asc' | 'desc'
  },
): Promise<Host[]> {
  const subject = authorize(ctx.authz, { type: 'host' }, 'list')
  const orderKey = list.HOST_ORDER_KEYS.find((k) => k === (query.order_key ?? 'hostname'))
  if (!orderKey) {
    throw InvalidArgumentError.field(
      'order_key',
      `must be one of ${list.HOST_ORDER_KEYS.join(', ')}`,
    )
  }
  return list.listHosts(deps.db, toFilter(subject, query, deps.clock.now().getTime()), {
    orderKey,
    direction: query.order_direction,
    ...listLimits(query),
  })
}

export async function countHosts(
  deps: HostDeps,
  ctx: RequestCtx,
  filters: Filters,
): Promise<number> {
  const subject = authorize(ctx.authz, { type: 'host' }, 'list')
  return list.countHosts(deps.db, toFilter(subject, filters, deps.clock.now().getTime()))
}

export async function hostSummary(
  deps: HostDeps,
  ctx: RequestCtx,
  query: { team_id?: number; platform?: string },
) {
  const subject = authorize(ctx.authz, { type: 'host', teamId: query.team_id || undefined }, 'list')
  const now = deps.clock.now().getTime()
  const base = toFilter(subject, { team_id: query.team_id }, now)
  const platforms = (await list.countByPlatform(deps.db, base)).filter(
    (p) => !query.platform || p.platform === query.platform,
  )
  const count = (status?: list.HostFilter['status']) =>
    list.countHosts(deps.db, { ...base, status })
  const [online, offline, missing, fresh] = await Promise.all([
    count('online'),
    count('offline'),
    count('missing'),
    count('new'),
  ])
  return {
    teamId: query.team_id ?? null,
    total: platforms.reduce((sum, p) => sum + p.count, 0),
    online,
    offline,
    missing,
    new: fresh,
    allLinux: platforms.filter((p) => isLinux(p.platform)).reduce((sum, p) => sum + p.count, 0),
    platforms,
  }
}

async function readableHost(
  deps: HostDeps,
  ctx: RequestCtx,
  host: Host | undefined,
  what: string,
): Promise<{ host: Host; users: HostUser[] }> {
  authorize(ctx.authz, { type: 'host', teamId: host?.teamId ?? null }, 'read')
  if (!host) {
    throw new NotFoundError(what)
  }
  return { host, users: await store.hostUsers(deps.db, host.id) }
}

export async function getHost(deps: HostDeps, ctx: RequestCtx, id: number) {
  return readableHost(deps, ctx, await store.findHost(deps.db, id), `host ${id}`)
}

export async function getHostByIdentifier(deps: HostDeps, ctx: RequestCtx, identifier: string) {
  return readableHost(
    deps,
    ctx,
    await store.findHostByIdentifier(deps.db, identifier),
    `host "${identifier}"`,
  )
}

async function removeHosts(deps: HostDeps, ctx: RequestCtx, hosts: readonly Host[]): Promise<void> {
  await deps.db.transaction().execute(async (trx: Db) => {
    const ids = hosts.map((h) => h.id)
    await store.deleteHosts(trx, ids)
    await deleteRefreshTimes(trx, ids)
    for (const host of hosts) {
      await recordActivity(trx, deps.clock, ctx, {
        type: 'deleted_host',
        details: {
          host_id: host.id,
          host_display_name: displayName(host),
          host_serial: host.hardwareSerial,
        },
      })
    }
  })
  await deps.invalidateAgents(hosts.map((h) => h.id))
}

export async function deleteHost(deps: HostDeps, ctx: RequestCtx, id: number): Promise<void> {
  const host = await store.findHost(deps.db, id)
  authorize(ctx.authz, { type: 'host', teamId: host?.teamId ?? null }, 'delete')
  if (!host) {
    throw new NotFoundError(`host ${id}`)
  }
  await removeHosts(deps, ctx, [host])
}

/** Deletes hosts by id or by filter; every host must be deletable by the user, or none is deleted. */
export async function deleteHosts(
  deps: HostDeps,
  ctx: RequestCtx,
  body: { ids?: number[]; filters?: Filters },
): Promise<void> {
  const subject = authorize(ctx.authz, { type: 'host' }, 'list')
  const now = deps.clock.now().getTime()
  const ids = body.ids ?? (await list.hostIds(deps.db, toFilter(subject, body.filters ?? {}, now)))
  const hosts = await list.listHosts(
    deps.db,
    { now, ids, visibleTeamIds: visibility(subject) },
    { orderKey: 'id', direction: 'asc', offset: 0, limit: ids.length || 1 },
  )
  for (const host of hosts) {
    authorize(ctx.authz, { type: 'host', teamId: host.teamId }, 'delete')
  }
  if (hosts.length > 0) {
    await removeHosts(deps, ctx, hosts)
  }
}

export async function refetchHost(deps: HostDeps, ctx: RequestCtx, id: number): Promise<void> {
  const host = await store.findHost(deps.db, id)
  authorize(ctx.authz, { type: 'host', teamId: host?.teamId ?? null }, 'read')
  if (!host) {
    throw new NotFoundError(`host ${id}`)
  }
  await store.requestRefetch(deps.db, [id])
  await deps.invalidateAgents([id])
}

/** Moves hosts to a team (or no team); the hosts get that team's agent options on their next config. */
export async function transferHosts(
  deps: HostDeps,
  ctx: RequestCtx,
  teamId: number | null,
  select: { ids: readonly number[] } | { filters: Filters },
): Promise<void> {
  const subject = authorize(ctx.authz, { type: 'host', teamId }, 'write')
  if (teamId !== null && !(await teamExists(deps.db, teamId))) {
    throw new NotFoundError(`team ${teamId}`, ErrorCode.TEAM_NOT_FOUND)
  }
  const now = deps.clock.now().getTime()
  const ids =
    'ids' in select
      ? [...select.ids]
      : await list.hostIds(deps.db, toFilter(subject, select.filters, now))
  const hosts = await list.listHosts(
    deps.db,
    { now, ids },
    { orderKey: 'id', direction: 'asc', offset: 0, limit: ids.length || 1 },
  )
  const missing = ids.filter((id) => !hosts.some((h) => h.id === id))
  if (missing.length > 0) {
    throw InvalidArgumentError.field(
      'hosts',
      `host ${missing.slice(0, 10).join(', ')} does not exist`,
    )
  }
  const teamName =
    teamId === null ? null : ((await teamNames(deps.db, [teamId])).get(teamId) ?? null)
  await deps.db.transaction().execute(async (trx: Db) => {
    await store.transferHosts(trx, ids, teamId, now)
    await recordActivity(trx, deps.clock, ctx, {
      type: 'transferred_hosts',
      details: {
        team_id: teamId,
        team_name: teamName,
        host_ids: hosts.map((h) => h.id),
        host_display_names: hosts.map(displayName),
      },
    })
  })
  await deps.invalidateAgents(ids)
}
