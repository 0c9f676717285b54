import { ErrorCode, type PackSpec, type PackSpecJson } from '@fleet/api'
import type { Db } from '../../db/database.js'
import { authorize } from '../../platform/authz/index.js'
import { InvalidArgumentError, NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { recordActivity } from '../activities/index.js'
import { findQueryByName } from '../queries/index.js'
import { teamIdByName, teamNames } from '../teams/index.js'
import type { NewPackEntry, QueryPack } from './pack.js'
import { resolveEntries } from './pack-entries.service.js'
import { checkPackName, packNameTaken, packsChanged, type PackDeps } from './packs.service.js'
import * as store from './packs.store.js'

/** A spec with its names resolved to ids, ready to write. */
interface ResolvedSpec {
  spec: PackSpec
  labelIds: number[]
  teamIds: number[]
  entries: Omit<NewPackEntry, 'packId'>[]
}

async function resolveSpec(db: Db, spec: PackSpec, index: number): Promise<ResolvedSpec> {
  const at = `specs[${index}]`
  checkPackName(spec.name)
  const labels = spec.targets.labels ?? []
  const labelIds = await store.labelIdsByName(db, labels)
  const missingLabel = labels.find((name) => !labelIds.has(name))
  if (missingLabel !== undefined) {
    throw InvalidArgumentError.field(`${at}.targets.labels`, `label "${missingLabel}" not found`)
  }
  const teamIds: number[] = []
  for (const name of spec.targets.teams ?? []) {
    const id = await teamIdByName(db, name, { ignoreCase: true })
    if (id === undefined) {
      throw InvalidArgumentError.field(`${at}.targets.teams`, `team "${name}" not found`)
    }
    teamIds.push(id)
  }
  const entries: ResolvedSpec['entries'] = []
  const names = new Set<string>()
  for (const q of spec.queries ?? []) {
    const query = await findQueryByName(db, null, q.query)
    if (!query) {
      throw InvalidArgumentError.field(`${at}.queries`, `global query "${q.query}" not found`)
    }
    const name = q.name === '' ? q.query : q.name
    if (names.has(name)) {
      throw InvalidArgumentError.field(`${at}.queries`, `two queries are named "${name}"`)
    }
    names.add(name)
    entries.push({
      queryId: query.id,
      name,
      description: q.description,
      interval: q.interval,
      snapshot: q.snapshot ?? null,
      removed: q.removed ?? null,
      platform: q.platform ?? null,
      version: q.version ?? null,
      shard: q.shard ?? null,
      denylist: q.denylist ?? null,
    })
  }
  return { spec, labelIds: [...labelIds.values()], teamIds, entries }
}

async function writeSpec(db: Db, resolved: ResolvedSpec, now: number): Promise<void> {
  const { spec } = resolved
  const fields = {
    name: spec.name,
    description: spec.description,
    platform: spec.platform,
    disabled: spec.disabled,
  }
  const existing = await store.findPackByName(db, spec.name)
  let packId: number
  if (existing) {
    packId = existing.id
    await store.updatePack(db, packId, fields, now)
  } else {
    packId = await store.insertPack(db, fields, now)
  }
  // A spec states the whole pack: its label and team targets (hosts can't be named in a spec)
  // and its queries.
  await store.setTargets(db, packId, {
    labelIds: resolved.labelIds,
    teamIds: resolved.teamIds,
    hostIds: [],
  })
  await store.deleteEntries(
    db,
    (await store.listEntries(db, packId)).map((e) => e.id),
  )
  for (const entry of resolved.entries) {
    await store.insertEntry(db, { ...entry, packId }, now)
  }
}

/** `POST /spec/packs` (fleetctl apply, kind: pack): creates or replaces each pack, all or none. */
export async function applyPackSpecs(
  deps: PackDeps,
  ctx: RequestCtx,
  specs: readonly PackSpec[],
): Promise<void> {
  authorize(ctx.authz, { type: 'pack' }, 'write')
  const resolved: ResolvedSpec[] = []
  for (const [index, spec] of specs.entries()) {
    resolved.push(await resolveSpec(deps.db, spec, index))
  }
  const now = deps.clock.now().getTime()
  await deps.db
    .transaction()
    .execute(async (trx) => {
      for (const one of resolved) {
        await writeSpec(trx, one, now)
      }
      await recordActivity(trx, deps.clock, ctx, { type: 'applied_spec_pack', details: {} })
    })
    .catch(packNameTaken)
  await packsChanged(deps)
}

async function toSpecs(db: Db, packs: readonly QueryPack[]): Promise<PackSpecJson[]> {
  const labels = await store.labelNames(
    db,
    packs.flatMap((p) => p.labelIds),
  )
  const teams = await teamNames(db, [...new Set(packs.flatMap((p) => p.teamIds))])
  const specs: PackSpecJson[] = []
  for (const pack of packs) {
    const entries = await resolveEntries(db, await store.listEntries(db, pack.id))
    specs.push({
      id: pack.id,
      name: pack.name,
      description: pack.description,
      platform: pack.platform,
      disabled: pack.disabled,
      targets: {
        labels: pack.labelIds.flatMap((id) => labels.get(id) ?? []),
        teams: pack.teamIds.flatMap((id) => teams.get(id) ?? []),
      },
      queries: entries.map(({ entry, query }) => ({
        query: query.name,
        name: entry.name,
        description: entry.description,
        interval: entry.interval,
        ...(entry.snapshot !== null && { snapshot: entry.snapshot }),
        ...(entry.removed !== null && { removed: entry.removed }),
        ...(entry.shard !== null && { shard: entry.shard }),
        ...(entry.platform !== null && { platform: entry.platform }),
        ...(entry.version !== null && { version: entry.version }),
        ...(entry.denylist !== null && { denylist: entry.denylist }),
      })),
    })
  }
  return specs
}

export async function packSpecs(deps: PackDeps, ctx: RequestCtx): Promise<PackSpecJson[]> {
  authorize(ctx.authz, { type: 'pack' }, 'read')
  return toSpecs(deps.db, await store.allPacks(deps.db))
}

export async function packSpec(
  deps: PackDeps,
  ctx: RequestCtx,
  name: string,
): Promise<PackSpecJson> {
  authorize(ctx.authz, { type: 'pack' }, 'read')
  const pack = await store.findPackByName(deps.db, name)
  const [spec] = pack ? await toSpecs(deps.db, [pack]) : []
  if (!spec) {
    throw new NotFoundError(`pack "${name}"`, ErrorCode.PACK_NOT_FOUND)
  }
  return spec
}
