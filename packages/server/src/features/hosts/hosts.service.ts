import { ErrorCode, listLimits, type HostFilters } from '@fleet/api'
import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import type { DeletionHooks } from '../../platform/deletion-hooks.js'
import { authorize, readableHostTeams } from '../../platform/authz/index.js'
import { InvalidArgumentError, NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { recordActivity } from '../activities/index.js'
import { teamExists, teamNames } from '../teams/index.js'
import { displayName, isLinux, type Host } from './host.js'
import { afterValue, hostOrderKey, toHostFilter } from './host-list-query.js'
import * as list from './host-list.store.js'
import type { HostDetail } from './host-json.js'
import * as store from './hosts.store.js'
import { orbitInfoOf } from './orbit-hosts.store.js'
import { deleteRefreshTimes } from './refresh-times.store.js'

type HostDeps = Pick<Deps, 'db' | 'clock'> & {
  /** Drops hosts from the agent caches of every instance after they changed. */
  invalidateAgents(ids: readonly number[]): Promise<void>
  /** Other features' clean-up of deleted hosts (HOST_DELETION), run in the deletion transaction. */
  deletion: DeletionHooks<readonly number[]>
}

export async function listHosts(
  deps: HostDeps,
  ctx: RequestCtx,
  query: HostFilters & {
    page?: number
    per_page?: number
    order_key?: string
    order_direction: 'asc' | 'desc'
    after?: string
  },
): Promise<Host[]> {
  const subject = authorize(ctx.authz, { type: 'host' }, 'list')
  const after = afterValue(query.order_key, query.after)
  return list.listHosts(deps.db, toHostFilter(subject, query, deps.clock.now().getTime()), {
    orderKey: hostOrderKey(query.order_key),
    direction: query.order_direction,
    after,
    ...listLimits(query),
  })
}

/** Hosts per page of the CSV report: small enough to hold, large enough to keep queries few. */
const REPORT_PAGE = 1_000

/**
 * Every host matching the filters that the user can see, page by page in id order (keyset, so a
 * late page costs what the first does): the CSV report streams these. Authorizes at once, before
 * the first page is read, so a refusal comes before any byte is sent.
 */
export function hostPages(
  deps: HostDeps,
  ctx: RequestCtx,
  filters: HostFilters,
  pageSize = REPORT_PAGE,
): AsyncIterable<Host[]> {
  const subject = authorize(ctx.authz, { type: 'host' }, 'list')
  const filter = toHostFilter(subject, filters, deps.clock.now().getTime())
  return (async function* pages() {
    let after: number | undefined
    for (;;) {
      const hosts = await list.listHosts(deps.db, filter, {
        orderKey: 'id',
        direction: 'asc',
        after,
        offset: 0,
        limit: pageSize,
      })
      if (hosts.length > 0) {
        yield hosts
      }
      const last = hosts.at(-1)
      if (hosts.length < pageSize || last === undefined) {
        return
      }
      after = last.id
    }
  })()
}

export async function countHosts(
  deps: HostDeps,
  ctx: RequestCtx,
  filters: HostFilters,
): Promise<number> {
  const subject = authorize(ctx.authz, { type: 'host' }, 'list')
  return list.countHosts(deps.db, toHostFilter(subject, filters, deps.clock.now().getTime()))
}

/** The operating systems of the hosts the user can see (on a team, or on none for 0). */
export async function osVersions(
  deps: HostDeps,
  ctx: RequestCtx,
  query: { team_id?: number; platform?: string },
) {
  const subject = authorize(ctx.authz, { type: 'host', teamId: query.team_id || undefined }, 'list')
  const filter = toHostFilter(subject, { team_id: query.team_id }, deps.clock.now().getTime())
  const counts = await list.countByOsVersion(deps.db, filter)
  return counts.filter(
    (c) => c.osVersion !== '' && (!query.platform || c.platform === query.platform),
  )
}

export async function hostSummary(
  deps: HostDeps,
  ctx: RequestCtx,
  query: { team_id?: number; platform?: string; low_disk_space?: number },
) {
  const subject = authorize(ctx.authz, { type: 'host', teamId: query.team_id || undefined }, 'list')
  const now = deps.clock.now().getTime()
  const base = toHostFilter(subject, { team_id: query.team_id }, now)
  const platforms = (await list.countByPlatform(deps.db, base)).filter(
    (p) => !query.platform || p.platform === query.platform,
  )
  const count = (filter: Partial<list.HostFilter>) =>
    list.countHosts(deps.db, { ...base, ...filter })
  const lowDiskSpace = query.low_disk_space
  const [online, offline, missing, fresh, lowDisk] = await Promise.all([
    count({ status: 'online' }),
    count({ status: 'offline' }),
    count({ status: 'missing' }),
    count({ status: 'new' }),
    // Fleet's summary counts "at most" the threshold where the list filter takes "less than".
    lowDiskSpace === undefined ? undefined : count({ diskSpace: { atMost: lowDiskSpace } }),
  ])
  return {
    lowDiskSpace: lowDisk,
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
): Promise<HostDetail> {
  authorize(ctx.authz, { type: 'host', teamId: host?.teamId ?? null }, 'read')
  if (!host) {
    throw new NotFoundError(what)
  }
  const [users, orbit] = await Promise.all([
    store.hostUsers(deps.db, host.id),
    orbitInfoOf(deps.db, host.id),
  ])
  return { host, users, orbit }
}

export async function getHost(deps: HostDeps, ctx: RequestCtx, id: number) {
  return readableHost(deps, ctx, await store.findHost(deps.db, id), `host ${id}`)
}

/**
 * The host with `id` for a caller who may read it (as getHost decides), without its details: for
 * endpoints about a host (its activities) that need only the permission.
 */
export async function readableHostOnly(
  deps: Pick<Deps, 'db'>,
  ctx: RequestCtx,
  id: number,
): Promise<Host> {
  const host = await store.findHost(deps.db, id)
  authorize(ctx.authz, { type: 'host', teamId: host?.teamId ?? null }, 'read')
  if (!host) {
    throw new NotFoundError(`host ${id}`)
  }
  return host
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
    await deps.deletion.run(trx, ids)
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
  body: { ids?: number[]; filters?: HostFilters },
): Promise<void> {
  const subject = authorize(ctx.authz, { type: 'host' }, 'list')
  const now = deps.clock.now().getTime()
  const ids =
    body.ids ?? (await list.hostIds(deps.db, toHostFilter(subject, body.filters ?? {}, now)))
  const hosts = await list.listHostsByIds(
    deps.db,
    { now, visibleTeamIds: readableHostTeams(subject) },
    ids,
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
  select: { ids: readonly number[] } | { filters: HostFilters },
): Promise<void> {
  const subject = authorize(ctx.authz, { type: 'host', teamId }, 'write')
  if (teamId !== null && !(await teamExists(deps.db, teamId))) {
    throw new NotFoundError(`team ${teamId}`, ErrorCode.TEAM_NOT_FOUND)
  }
  const now = deps.clock.now().getTime()
  const ids =
    'ids' in select
      ? [...select.ids]
      : await list.hostIds(deps.db, toHostFilter(subject, select.filters, now))
  const hosts = await list.listHostsByIds(deps.db, { now }, ids)
  const found = new Set(hosts.map((h) => h.id))
  const missing = ids.filter((id) => !found.has(id))
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
