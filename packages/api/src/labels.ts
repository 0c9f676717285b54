import { z } from 'zod'
import { IdParams, ListQuery } from './common.js'
import { defineEndpoint } from './contract.js'
import { ListHostsQuery } from './host-filters.js'
import { HostLabelJson, HostSummaryJson } from './hosts.js'

export const LabelType = HostLabelJson.shape.label_type
export const LabelMembershipType = HostLabelJson.shape.label_membership_type

export const Label = HostLabelJson.extend({
  host_count: z.number().int(),
  display_text: z.string(),
  count: z.number().int(),
  /** Members of a manual label. */
  host_ids: z.array(z.number().int()).nullable(),
}).meta({ id: 'Label' })
export type Label = z.infer<typeof Label>

const LabelName = z.string().trim().min(1, 'cannot be empty').max(255)
/** osquery SQL sent to hosts; bounded so a label can't flood every agent. */
export const LabelQuerySql = z
  .string()
  .trim()
  .min(1, 'cannot be empty')
  .max(65_536, 'must be at most 64 KiB')
/** Fleet's platforms: empty for every platform, or one of these. */
export const LabelPlatform = z.enum([
  '',
  'darwin',
  'windows',
  'ubuntu',
  'centos',
  'rhel',
  'linux',
  'chrome',
])

/**
 * Fleet takes a label's kind from its query: without one it is manual (its hosts given by
 * `hosts` or `host_ids`, or none yet), with one dynamic. `label_membership_type` may say so
 * explicitly.
 */
export const CreateLabelRequest = z
  .object({
    name: LabelName,
    description: z.string().max(65_535).default(''),
    query: z.string().max(65_536).default(''),
    platform: LabelPlatform.default(''),
    label_membership_type: LabelMembershipType.optional(),
    /** Manual labels: members by hostname, UUID or serial. */
    hosts: z.array(z.string().min(1).max(255)).max(100_000).optional(),
    /** Manual labels: members by host id. */
    host_ids: z.array(z.number().int().positive()).max(100_000).optional(),
  })
  .transform((label) => ({
    ...label,
    label_membership_type:
      label.label_membership_type ?? (label.query.trim() === '' ? 'manual' : 'dynamic'),
  }))
  .superRefine((label, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message })
    const hasQuery = label.query.trim() !== ''
    const hasHosts = label.hosts !== undefined || label.host_ids !== undefined
    if ((label.hosts?.length ?? 0) > 0 && (label.host_ids?.length ?? 0) > 0) {
      issue('hosts', 'Only one of either "hosts" or "host_ids" can be included in the request.')
    }
    if (hasQuery && hasHosts) {
      issue('query', 'Only one of "query" or "hosts/host_ids" can be included in the request.')
      return
    }
    if (label.label_membership_type === 'dynamic') {
      if (!LabelQuerySql.safeParse(label.query).success) {
        issue('query', 'a dynamic label needs a query')
      }
      if (hasHosts) {
        issue('hosts', 'only manual labels take a host list')
      }
    } else if (hasQuery) {
      issue('query', 'a manual label has no query')
    }
  })
export type CreateLabelRequest = z.infer<typeof CreateLabelRequest>

export const ModifyLabelRequest = z.object({
  name: LabelName.optional(),
  description: z.string().max(65_535).optional(),
  hosts: z.array(z.string().min(1).max(255)).max(100_000).optional(),
  host_ids: z.array(z.number().int().positive()).max(100_000).optional(),
})

/** A label as written in a `kind: label` YAML spec. */
export const LabelSpec = z.object({
  name: LabelName,
  description: z.string().max(65_535).default(''),
  query: z.string().max(65_536).default(''),
  platform: LabelPlatform.default(''),
  label_membership_type: LabelMembershipType.default('dynamic'),
  hosts: z.array(z.string().min(1).max(255)).max(100_000).nullable().optional(),
})
export type LabelSpec = z.infer<typeof LabelSpec>

const LabelResponse = z.object({ label: Label })

export const createLabel = defineEndpoint({
  method: 'POST',
  path: '/labels',
  mount: 'fleet',
  tag: 'Labels',
  summary: 'Create a dynamic (query) or manual (host list) label',
  auth: 'user',
  body: CreateLabelRequest,
  response: LabelResponse,
})

export const modifyLabel = defineEndpoint({
  method: 'PATCH',
  path: '/labels/:id',
  mount: 'fleet',
  tag: 'Labels',
  summary: "Rename a label, or change a manual label's hosts (a label's query can't change)",
  auth: 'user',
  params: IdParams,
  body: ModifyLabelRequest,
  response: LabelResponse,
})

export const getLabel = defineEndpoint({
  method: 'GET',
  path: '/labels/:id',
  mount: 'fleet',
  tag: 'Labels',
  summary: 'Get a label',
  auth: 'user',
  params: IdParams,
  response: LabelResponse,
})

export const listLabels = defineEndpoint({
  method: 'GET',
  path: '/labels',
  mount: 'fleet',
  tag: 'Labels',
  summary: 'List labels with their host counts',
  auth: 'user',
  query: ListQuery,
  response: z.object({ labels: z.array(Label) }),
})

export const labelsSummary = defineEndpoint({
  method: 'GET',
  path: '/labels/summary',
  mount: 'fleet',
  tag: 'Labels',
  summary: 'Every label, briefly',
  auth: 'user',
  response: z.object({
    labels: z.array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        description: z.string(),
        label_type: LabelType,
      }),
    ),
  }),
})

export const listLabelHosts = defineEndpoint({
  method: 'GET',
  path: '/labels/:id/hosts',
  mount: 'fleet',
  tag: 'Labels',
  summary: "A label's member hosts",
  auth: 'user',
  params: IdParams,
  query: ListHostsQuery.omit({ label_id: true }),
  response: z.object({ hosts: z.array(HostSummaryJson) }),
})

export const deleteLabelByName = defineEndpoint({
  method: 'DELETE',
  path: '/labels/:name',
  mount: 'fleet',
  tag: 'Labels',
  summary: 'Delete a label by name',
  auth: 'user',
  params: z.object({ name: z.string().min(1).max(255) }),
  response: z.object({}),
})

export const deleteLabelById = defineEndpoint({
  method: 'DELETE',
  path: '/labels/id/:id',
  mount: 'fleet',
  tag: 'Labels',
  summary: 'Delete a label by id',
  auth: 'user',
  params: IdParams,
  response: z.object({}),
})

export const applyLabelSpecs = defineEndpoint({
  method: 'POST',
  path: '/spec/labels',
  mount: 'fleet',
  tag: 'Labels',
  summary: 'Create or update labels from specs (fleetctl apply)',
  auth: 'user',
  body: z.object({ specs: z.array(LabelSpec).min(1).max(1000) }),
  response: z.object({}),
})

/** A stored label as a spec (manual labels list the hostnames of the members the user sees). */
export const StoredLabelSpec = LabelSpec.extend({ id: z.number().int(), label_type: LabelType })

export const getLabelSpecs = defineEndpoint({
  method: 'GET',
  path: '/spec/labels',
  mount: 'fleet',
  tag: 'Labels',
  summary: 'Every label as a spec',
  auth: 'user',
  response: z.object({ specs: z.array(StoredLabelSpec) }),
})

/** `fleetctl get label NAME`: one label as a spec; Fleet names the single object `specs`. */
export const getLabelSpec = defineEndpoint({
  method: 'GET',
  path: '/spec/labels/:name',
  mount: 'fleet',
  tag: 'Labels',
  summary: 'One label, by name, as a spec',
  auth: 'user',
  params: z.object({ name: z.string().min(1).max(255) }),
  response: z.object({ specs: StoredLabelSpec }),
})
