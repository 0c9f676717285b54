import {
  ErrorCode,
  listWindow,
  type CreatePackRequest,
  type EndpointRequest,
  type listPacks as listPacksEndpoint,
  type ModifyPackRequest,
} from '@fleet/api'
import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import { authorize } from '../../platform/authz/index.js'
import { isUniqueViolation } from '../../platform/db/index.js'
import {
  AlreadyExistsError,
  InvalidArgumentError,
  NotFoundError,
} from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { publish } from '../../platform/pubsub/index.js'
import { recordActivity } from '../activities/index.js'
import { isReservedPackName, type QueryPack } from './pack.js'
import { PACKS_CHANGED } from './packs.channels.js'
import * as store from './packs.store.js'

export type PackDeps = Pick<Deps, 'db' | 'clock' | 'pubsub'>

/** Tells every instance (their agent configs) that packs changed; call after the commit. */
export async function packsChanged(deps: Pick<Deps, 'pubsub'>): Promise<void> {
  await publish(deps.pubsub, PACKS_CHANGED, null)
}

export function packNameTaken(err: unknown): never {
  if (isUniqueViolation(err)) {
    throw new AlreadyExistsError(
      'name',
      'a pack with this name already exists',
      ErrorCode.PACK_NAME_EXISTS,
    )
  }
  throw err
}

export function checkPackName(name: string): void {
  if (isReservedPackName(name)) {
    throw InvalidArgumentError.field(
      'name',
      `"${name}" is the name of the server's own schedule in the osquery config`,
    )
  }
}

export async function mustFindPack(db: Db, id: number): Promise<QueryPack> {
  const pack = await store.findPack(db, id)
  if (!pack) {
    throw new NotFoundError(`pack ${id}`, ErrorCode.PACK_NOT_FOUND)
  }
  return pack
}

export async function listPacks(
  deps: PackDeps,
  ctx: RequestCtx,
  query: EndpointRequest<typeof listPacksEndpoint>['query'],
): Promise<QueryPack[]> {
  authorize(ctx.authz, { type: 'pack' }, 'read')
  const { perPage, offset } = listWindow(query)
  return store.listPacks(deps.db, {
    orderKey: query.order_key ?? 'name',
    direction: query.order_direction ?? 'asc',
    offset,
    limit: perPage,
  })
}

export async function getPack(deps: PackDeps, ctx: RequestCtx, id: number): Promise<QueryPack> {
  authorize(ctx.authz, { type: 'pack' }, 'read')
  return mustFindPack(deps.db, id)
}

/** What the pack list shows beside each pack: its query count and the hosts it reaches. */
export async function packCounts(
  deps: PackDeps,
  pack: QueryPack,
): Promise<{ queryCount: number; totalHostsCount: number }> {
  const entries = await store.listEntries(deps.db, pack.id)
  return {
    queryCount: entries.length,
    totalHostsCount: await store.countTargetedHosts(deps.db, pack),
  }
}

function targetChanges(input: ModifyPackRequest) {
  return {
    labelIds: input.label_ids === null ? [] : input.label_ids,
    hostIds: input.host_ids === null ? [] : input.host_ids,
    teamIds: input.team_ids === null ? [] : input.team_ids,
  }
}

export async function createPack(
  deps: PackDeps,
  ctx: RequestCtx,
  input: CreatePackRequest,
): Promise<QueryPack> {
  authorize(ctx.authz, { type: 'pack' }, 'write')
  checkPackName(input.name)
  const now = deps.clock.now().getTime()
  const pack = await deps.db
    .transaction()
    .execute(async (trx) => {
      const id = await store.insertPack(
        trx,
        {
          name: input.name,
          description: input.description ?? '',
          platform: input.platform ?? '',
          disabled: input.disabled ?? false,
        },
        now,
      )
      await store.setTargets(trx, id, targetChanges(input))
      await recordActivity(trx, deps.clock, ctx, {
        type: 'created_pack',
        details: { pack_id: id, pack_name: input.name },
      })
      return mustFindPack(trx, id)
    })
    .catch(packNameTaken)
  await packsChanged(deps)
  return pack
}

export async function modifyPack(
  deps: PackDeps,
  ctx: RequestCtx,
  id: number,
  input: ModifyPackRequest,
): Promise<QueryPack> {
  authorize(ctx.authz, { type: 'pack' }, 'write')
  if (input.name !== undefined) {
    checkPackName(input.name)
  }
  await mustFindPack(deps.db, id)
  const now = deps.clock.now().getTime()
  const pack = await deps.db
    .transaction()
    .execute(async (trx) => {
      await store.updatePack(trx, id, input, now)
      await store.setTargets(trx, id, targetChanges(input))
      const after = await mustFindPack(trx, id)
      await recordActivity(trx, deps.clock, ctx, {
        type: 'edited_pack',
        details: { pack_id: id, pack_name: after.name },
      })
      return after
    })
    .catch(packNameTaken)
  await packsChanged(deps)
  return pack
}

async function deleteOne(deps: PackDeps, ctx: RequestCtx, pack: QueryPack): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await store.deletePack(trx, pack.id)
    await recordActivity(trx, deps.clock, ctx, {
      type: 'deleted_pack',
      details: { pack_name: pack.name },
    })
  })
  await packsChanged(deps)
}

export async function deletePackByName(
  deps: PackDeps,
  ctx: RequestCtx,
  name: string,
): Promise<void> {
  authorize(ctx.authz, { type: 'pack' }, 'write')
  const pack = await store.findPackByName(deps.db, name)
  if (!pack) {
    throw new NotFoundError(`pack "${name}"`, ErrorCode.PACK_NOT_FOUND)
  }
  await deleteOne(deps, ctx, pack)
}

export async function deletePackById(deps: PackDeps, ctx: RequestCtx, id: number): Promise<void> {
  authorize(ctx.authz, { type: 'pack' }, 'write')
  await deleteOne(deps, ctx, await mustFindPack(deps.db, id))
}
