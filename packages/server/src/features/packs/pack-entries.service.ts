import { ErrorCode, type ModifyScheduledQueryRequest, type ScheduleQueryRequest } from '@fleet/api'
import type { Db } from '../../db/database.js'
import { authorize } from '../../platform/authz/index.js'
import { InvalidArgumentError, NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { findQuery, queriesByIds, type SavedQuery } from '../queries/index.js'
import { nextEntryName, type EntryOptions, type PackEntry } from './pack.js'
import { mustFindPack, packsChanged, type PackDeps } from './packs.service.js'
import * as store from './packs.store.js'

/** A pack entry with the saved query it runs. */
export interface ResolvedEntry {
  entry: PackEntry
  query: SavedQuery
}

/**
 * Entries with their queries. The foreign key removes an entry with its query; one read while its
 * query is being deleted is left out rather than failing the request.
 */
export async function resolveEntries(
  db: Db,
  entries: readonly PackEntry[],
): Promise<ResolvedEntry[]> {
  const queries = new Map(
    (await queriesByIds(db, [...new Set(entries.map((e) => e.queryId))])).map((q) => [q.id, q]),
  )
  return entries.flatMap((entry) => {
    const query = queries.get(entry.queryId)
    return query ? [{ entry, query }] : []
  })
}

async function mustFindEntry(db: Db, id: number): Promise<ResolvedEntry> {
  const entry = await store.findEntry(db, id)
  const [resolved] = entry ? await resolveEntries(db, [entry]) : []
  if (!resolved) {
    throw new NotFoundError(`scheduled query ${id}`, ErrorCode.SCHEDULED_QUERY_NOT_FOUND)
  }
  return resolved
}

/** Fleet puts only global queries in packs: a team's query must not reach other teams' hosts. */
export async function globalQuery(db: Db, id: number, field = 'query_id'): Promise<SavedQuery> {
  const query = await findQuery(db, id)
  if (!query) {
    throw new NotFoundError(`query ${id}`, ErrorCode.QUERY_NOT_FOUND)
  }
  if (query.teamId !== null) {
    throw InvalidArgumentError.field(field, 'a pack can only schedule global queries')
  }
  return query
}

function optionsOf(input: ModifyScheduledQueryRequest): Partial<EntryOptions> {
  return {
    interval: input.interval,
    snapshot: input.snapshot,
    removed: input.removed,
    platform: input.platform,
    version: input.version,
    shard: input.shard,
    denylist: input.denylist,
  }
}

export async function listPackEntries(
  deps: PackDeps,
  ctx: RequestCtx,
  packId: number,
): Promise<ResolvedEntry[]> {
  authorize(ctx.authz, { type: 'pack' }, 'read')
  await mustFindPack(deps.db, packId)
  return resolveEntries(deps.db, await store.listEntries(deps.db, packId))
}

export async function getEntry(
  deps: PackDeps,
  ctx: RequestCtx,
  id: number,
): Promise<ResolvedEntry> {
  authorize(ctx.authz, { type: 'pack' }, 'read')
  return mustFindEntry(deps.db, id)
}

/** `POST /packs/schedule`: adds a global query to a pack, named after it (Fleet). */
export async function scheduleQuery(
  deps: PackDeps,
  ctx: RequestCtx,
  input: ScheduleQueryRequest,
): Promise<ResolvedEntry> {
  authorize(ctx.authz, { type: 'pack' }, 'write')
  const pack = await mustFindPack(deps.db, input.pack_id)
  const query = await globalQuery(deps.db, input.query_id)
  const now = deps.clock.now().getTime()
  const id = await deps.db.transaction().execute(async (trx) => {
    const taken = new Set((await store.listEntries(trx, pack.id)).map((e) => e.name))
    return store.insertEntry(
      trx,
      {
        packId: pack.id,
        queryId: query.id,
        name: nextEntryName(query.name, taken),
        description: '',
        interval: input.interval,
        snapshot: input.snapshot ?? null,
        removed: input.removed ?? null,
        platform: input.platform ?? null,
        version: input.version ?? null,
        shard: input.shard ?? null,
        denylist: input.denylist ?? null,
      },
      now,
    )
  })
  await packsChanged(deps)
  return mustFindEntry(deps.db, id)
}

export async function modifyEntry(
  deps: PackDeps,
  ctx: RequestCtx,
  id: number,
  input: ModifyScheduledQueryRequest,
): Promise<ResolvedEntry> {
  authorize(ctx.authz, { type: 'pack' }, 'write')
  await mustFindEntry(deps.db, id)
  await store.updateEntry(deps.db, id, optionsOf(input), deps.clock.now().getTime())
  await packsChanged(deps)
  return mustFindEntry(deps.db, id)
}

export async function deleteEntry(deps: PackDeps, ctx: RequestCtx, id: number): Promise<void> {
  authorize(ctx.authz, { type: 'pack' }, 'write')
  const entry = await store.findEntry(deps.db, id)
  if (!entry) {
    throw new NotFoundError(`scheduled query ${id}`, ErrorCode.SCHEDULED_QUERY_NOT_FOUND)
  }
  await store.deleteEntries(deps.db, [id])
  await packsChanged(deps)
}
