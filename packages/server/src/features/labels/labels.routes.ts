import {
  applyLabelSpecs,
  createLabel,
  deleteLabelById,
  deleteLabelByName,
  getLabel,
  getLabelSpec,
  getLabelSpecs,
  labelsSummary,
  listLabels,
  modifyLabel,
  type Label as LabelJson,
} from '@fleet/api'
import type { Db } from '../../db/database.js'
import type { Deps } from '../../deps.js'
import {
  registerEndpoint,
  type EndpointRegistrar,
  type RequestCtx,
} from '../../platform/http/index.js'
import type { Label } from './label.js'
import { presentHostLabel } from '../hosts/index.js'
import * as service from './labels.service.js'

async function presentLabels(
  db: Db,
  ctx: RequestCtx,
  labels: readonly Label[],
): Promise<LabelJson[]> {
  const { counts, members } = await service.labelMembership(db, ctx, labels)
  const result: LabelJson[] = []
  for (const label of labels) {
    const count = counts.get(label.id) ?? 0
    result.push({
      ...presentHostLabel(label),
      host_count: count,
      count,
      display_text: label.name,
      host_ids: label.membershipType === 'manual' ? (members.get(label.id) ?? []) : null,
    })
  }
  return result
}

async function presentOne(db: Db, ctx: RequestCtx, label: Label): Promise<{ label: LabelJson }> {
  const [json] = await presentLabels(db, ctx, [label])
  if (!json) {
    throw new Error('presenting a label produced nothing')
  }
  return { label: json }
}

export function registerLabelRoutes(r: EndpointRegistrar, { deps }: { deps: Deps }): void {
  registerEndpoint(r, listLabels, async ({ query }, ctx) => ({
    labels: await presentLabels(deps.db, ctx, await service.listLabels(deps, ctx, query)),
  }))
  registerEndpoint(r, labelsSummary, async (_input, ctx) => {
    const labels = await service.labelsSummary(deps, ctx)
    return {
      labels: labels.map((l) => ({
        id: l.id,
        name: l.name,
        description: l.description,
        label_type: l.labelType,
      })),
    }
  })
  registerEndpoint(r, getLabel, async ({ params }, ctx) =>
    presentOne(deps.db, ctx, await service.getLabel(deps, ctx, params.id)),
  )
  registerEndpoint(r, createLabel, async ({ body }, ctx) =>
    presentOne(deps.db, ctx, await service.createLabel(deps, ctx, body)),
  )
  registerEndpoint(r, modifyLabel, async ({ params, body }, ctx) =>
    presentOne(deps.db, ctx, await service.modifyLabel(deps, ctx, params.id, body)),
  )
  registerEndpoint(r, deleteLabelByName, async ({ params }, ctx) => {
    await service.deleteLabel(deps, ctx, { name: params.name })
    return {}
  })
  registerEndpoint(r, deleteLabelById, async ({ params }, ctx) => {
    await service.deleteLabel(deps, ctx, { id: params.id })
    return {}
  })
  registerEndpoint(r, applyLabelSpecs, async ({ body }, ctx) => {
    await service.applyLabelSpecs(deps, ctx, body.specs)
    return {}
  })
  registerEndpoint(r, getLabelSpecs, async (_input, ctx) => ({
    specs: (await service.labelSpecs(deps, ctx)).map(presentSpec),
  }))
  registerEndpoint(r, getLabelSpec, async ({ params }, ctx) => ({
    specs: presentSpec(await service.labelSpec(deps, ctx, params.name)),
  }))
}

/** A label as a spec, Fleet's LabelSpec (`hosts` only for manual labels). */
function presentSpec({ label, hosts }: service.LabelWithHosts) {
  return {
    id: label.id,
    name: label.name,
    description: label.description,
    query: label.query,
    platform: labelPlatform(label.platform),
    label_type: label.labelType,
    label_membership_type: label.membershipType,
    ...(hosts !== null && { hosts }),
  }
}

function labelPlatform(
  platform: string,
): '' | 'darwin' | 'windows' | 'ubuntu' | 'centos' | 'rhel' | 'linux' | 'chrome' {
  switch (platform) {
    case 'darwin':
    case 'windows':
    case 'ubuntu':
    case 'centos':
    case 'rhel':
    case 'linux':
    case 'chrome':
      return platform
    default:
      return ''
  }
}
