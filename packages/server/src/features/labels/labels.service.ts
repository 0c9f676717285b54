import {
  listLimits,
  type CreateLabelRequest,
  type LabelSpec,
  type ModifyLabelRequest,
} from '@fleet/api'
import type { z } from 'zod'
import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import { authorize, readableHostTeams } from '../../platform/authz/index.js'
import { isUniqueViolation } from '../../platform/db/index.js'
import {
  AlreadyExistsError,
  InvalidArgumentError,
  NotFoundError,
  ValidationError,
} from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { publish } from '../../platform/pubsub/index.js'
import { recordActivity } from '../activities/index.js'
import type { Label } from './label.js'
import { LABELS_CHANGED } from './labels.channels.js'
import * as store from './labels.store.js'

type LabelDeps = Pick<Deps, 'db' | 'clock' | 'pubsub'>

async function mustFind(db: Db, id: number): Promise<Label> {
  const label = await store.findLabel(db, id)
  if (!label) {
    throw new NotFoundError(`label ${id}`)
  }
  return label
}

function refuseBuiltin(label: Label): void {
  if (label.labelType === 'builtin') {
    throw new ValidationError([
      {
        name: 'base',
        reason: `"${label.name}" is a built-in label and can't be changed or deleted`,
      },
    ])
  }
}

/** Host ids for a manual label from identifiers and/or ids; unknown hosts are a 400. */
async function membersOf(
  db: Db,
  input: { hosts?: readonly string[] | null; host_ids?: readonly number[] },
): Promise<number[] | undefined> {
  if ((input.hosts === undefined || input.hosts === null) && input.host_ids === undefined) {
    return undefined
  }
  const byName = await store.resolveHosts(db, input.hosts ?? [])
  if (byName.unknown.length > 0) {
    throw InvalidArgumentError.field(
      'hosts',
      `unknown host(s): ${byName.unknown.slice(0, 10).join(', ')}`,
    )
  }
  const ids = input.host_ids ?? []
  const existing = await store.existingHostIds(db, ids)
  const missing = ids.filter((id) => !existing.has(id))
  if (missing.length > 0) {
    throw InvalidArgumentError.field(
      'host_ids',
      `unknown host id(s): ${missing.slice(0, 10).join(', ')}`,
    )
  }
  return [...byName.ids, ...ids]
}

async function changed(deps: LabelDeps): Promise<void> {
  await publish(deps.pubsub, LABELS_CHANGED, null)
}

function nameTaken(err: unknown): never {
  if (isUniqueViolation(err)) {
    throw new AlreadyExistsError('name', 'a label with this name already exists')
  }
  throw err
}

export async function listLabels(
  deps: LabelDeps,
  ctx: RequestCtx,
  query: { page?: number; per_page?: number; order_direction: 'asc' | 'desc'; query?: string },
): Promise<Label[]> {
  authorize(ctx.authz, { type: 'label' }, 'read')
  return store.listLabels(deps.db, {
    query: query.query,
    ...listLimits(query),
    direction: query.order_direction,
  })
}

/** Every label, for the labels summary (authorizes reading labels). */
export async function labelsSummary(deps: LabelDeps, ctx: RequestCtx): Promise<Label[]> {
  authorize(ctx.authz, { type: 'label' }, 'read')
  return store.listLabels(deps.db)
}

/** The teams whose hosts the request's user reads (undefined: every host). */
function hostScope(ctx: RequestCtx): readonly number[] | undefined {
  const { subject } = ctx.authz
  return subject ? readableHostTeams(subject) : []
}

/**
 * What labels are presented with beyond their rows: host counts, and manual labels' members,
 * both among the hosts the user reads (as the hosts endpoints filter them).
 */
export async function labelMembership(
  db: Db,
  ctx: RequestCtx,
  labels: readonly Label[],
): Promise<{ counts: Map<number, number>; members: Map<number, number[]> }> {
  const scope = hostScope(ctx)
  const counts = await store.hostCounts(
    db,
    labels.map((l) => l.id),
    scope,
  )
  const members = new Map<number, number[]>()
  for (const label of labels) {
    if (label.membershipType === 'manual') {
      members.set(label.id, await store.memberIds(db, label.id, scope))
    }
  }
  return { counts, members }
}

export async function getLabel(deps: LabelDeps, ctx: RequestCtx, id: number): Promise<Label> {
  authorize(ctx.authz, { type: 'label' }, 'read')
  return mustFind(deps.db, id)
}

export async function createLabel(
  deps: LabelDeps,
  ctx: RequestCtx,
  input: CreateLabelRequest,
): Promise<Label> {
  authorize(ctx.authz, { type: 'label' }, 'write')
  const members =
    input.label_membership_type === 'manual' ? await membersOf(deps.db, input) : undefined
  const now = deps.clock.now().getTime()
  const label = await deps.db
    .transaction()
    .execute(async (trx) => {
      const id = await store.insertLabel(
        trx,
        {
          name: input.name,
          description: input.description,
          query: input.query.trim(),
          platform: input.platform,
          labelType: 'regular',
          membershipType: input.label_membership_type,
        },
        now,
      )
      if (members) {
        await store.setMembers(trx, id, members, now)
      }
      await recordActivity(trx, deps.clock, ctx, {
        type: 'created_label',
        details: { label_id: id, label_name: input.name },
      })
      return mustFind(trx, id)
    })
    .catch(nameTaken)
  await changed(deps)
  return label
}

export async function modifyLabel(
  deps: LabelDeps,
  ctx: RequestCtx,
  id: number,
  input: z.output<typeof ModifyLabelRequest>,
): Promise<Label> {
  authorize(ctx.authz, { type: 'label' }, 'write')
  const label = await mustFind(deps.db, id)
  refuseBuiltin(label)
  const members = await membersOf(deps.db, input)
  if (members && label.membershipType !== 'manual') {
    throw InvalidArgumentError.field('hosts', 'only manual labels take a host list')
  }
  const now = deps.clock.now().getTime()
  const updated = await deps.db
    .transaction()
    .execute(async (trx) => {
      await store.updateLabel(trx, id, { name: input.name, description: input.description }, now)
      if (members) {
        await store.setMembers(trx, id, members, now)
      }
      await recordActivity(trx, deps.clock, ctx, {
        type: 'edited_label',
        details: { label_id: id, label_name: input.name ?? label.name },
      })
      return mustFind(trx, id)
    })
    .catch(nameTaken)
  await changed(deps)
  return updated
}

export async function deleteLabel(
  deps: LabelDeps,
  ctx: RequestCtx,
  find: { id: number } | { name: string },
): Promise<void> {
  authorize(ctx.authz, { type: 'label' }, 'write')
  const label =
    'id' in find
      ? await store.findLabel(deps.db, find.id)
      : await store.findLabelByName(deps.db, find.name)
  if (!label) {
    throw new NotFoundError(`label ${'id' in find ? find.id : `"${find.name}"`}`)
  }
  refuseBuiltin(label)
  await deps.db.transaction().execute(async (trx) => {
    await store.deleteLabel(trx, label.id)
    await recordActivity(trx, deps.clock, ctx, {
      type: 'deleted_label',
      details: { label_id: label.id, label_name: label.name },
    })
  })
  await changed(deps)
}

/**
 * `fleetctl apply` of label specs: creates labels by name or updates them. A label's query and
 * platform change only by replacing the label (as a new query invalidates its members), so a
 * spec that changes either refreshes the membership; built-in labels are refused.
 */
export async function applyLabelSpecs(
  deps: LabelDeps,
  ctx: RequestCtx,
  specs: readonly LabelSpec[],
): Promise<void> {
  authorize(ctx.authz, { type: 'label' }, 'write')
  const now = deps.clock.now().getTime()
  const prepared: {
    spec: LabelSpec
    existing: Label | undefined
    members: number[] | undefined
  }[] = []
  for (const spec of specs) {
    const existing = await store.findLabelByName(deps.db, spec.name)
    if (existing) {
      refuseBuiltin(existing)
      if (existing.membershipType !== spec.label_membership_type) {
        throw InvalidArgumentError.field(
          'label_membership_type',
          `label "${spec.name}" is ${existing.membershipType}; delete it to change its type`,
        )
      }
    }
    if (spec.label_membership_type === 'dynamic' && spec.query.trim() === '') {
      throw InvalidArgumentError.field('query', `label "${spec.name}" is dynamic and needs a query`)
    }
    const members =
      spec.label_membership_type === 'manual'
        ? await membersOf(deps.db, { hosts: spec.hosts ?? [] })
        : undefined
    prepared.push({ spec, existing, members })
  }
  await deps.db.transaction().execute(async (trx) => {
    for (const { spec, existing, members } of prepared) {
      let id = existing?.id
      if (id === undefined) {
        id = await store.insertLabel(
          trx,
          {
            name: spec.name,
            description: spec.description,
            query: spec.query.trim(),
            platform: spec.platform,
            labelType: 'regular',
            membershipType: spec.label_membership_type,
          },
          now,
        )
      } else {
        const queryChanged =
          existing?.query !== spec.query.trim() || existing.platform !== spec.platform
        await store.updateLabel(
          trx,
          id,
          { description: spec.description, query: spec.query.trim(), platform: spec.platform },
          now,
        )
        if (queryChanged && spec.label_membership_type === 'dynamic') {
          await store.setMembers(trx, id, [], now)
        }
      }
      if (members) {
        await store.setMembers(trx, id, members, now)
      }
    }
    await recordActivity(trx, deps.clock, ctx, {
      type: 'applied_spec_label',
      details: { labels: specs.map((s) => s.name) },
    })
  })
  await changed(deps)
}

/** A label as a spec: for a manual one, the hostnames of the members the user reads. */
export interface LabelWithHosts {
  label: Label
  hosts: string[] | null
}

async function withHosts(
  db: Db,
  scope: readonly number[] | undefined,
  label: Label,
): Promise<LabelWithHosts> {
  return {
    label,
    hosts:
      label.membershipType === 'manual' ? await store.memberHostnames(db, label.id, scope) : null,
  }
}

/** Every label as a spec (`GET /spec/labels`). */
export async function labelSpecs(deps: LabelDeps, ctx: RequestCtx): Promise<LabelWithHosts[]> {
  authorize(ctx.authz, { type: 'label' }, 'read')
  const labels = await store.listLabels(deps.db)
  const scope = hostScope(ctx)
  const result = []
  for (const label of labels) {
    result.push(await withHosts(deps.db, scope, label))
  }
  return result
}

/** One label, by name, as a spec (`GET /spec/labels/:name`, `fleetctl get label NAME`). */
export async function labelSpec(
  deps: LabelDeps,
  ctx: RequestCtx,
  name: string,
): Promise<LabelWithHosts> {
  authorize(ctx.authz, { type: 'label' }, 'read')
  const label = await store.findLabelByName(deps.db, name)
  if (!label) {
    throw new NotFoundError(`label "${name}"`)
  }
  return withHosts(deps.db, hostScope(ctx), label)
}
