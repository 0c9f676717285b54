import {
  LabelQuerySql,
  LabelSpec,
  LabelType,
  type EndpointResponse,
  type getLabelSpecs,
} from '@fleet/api'
import { z } from 'zod'

/**
 * The `spec` of a `kind: label` document as `apply` and `delete` read it: the contract's
 * {@link LabelSpec}, plus what the server would refuse anyway, checked before any request:
 * - unknown keys are refused (a typo such as `querry:` would otherwise apply a label with no query);
 * - a dynamic label needs a query, a manual one has none, and only manual labels take hosts;
 * - `id` and `label_type: regular`, which `get labels --json` (and Fleet's own `--yaml`) print,
 *   are accepted and dropped; a `builtin` label is refused, as it can't be changed.
 *
 * Host identifiers YAML reads as numbers (`- 2`, a serial) are taken as strings, as Fleet does;
 * leading zeros are already lost by then, so quote such serials (`- "0042"`).
 */
export const LabelSpecInput = z
  .strictObject(
    {
      ...LabelSpec.shape,
      hosts: z.preprocess(hostsAsStrings, LabelSpec.shape.hosts.unwrap()).optional(),
      id: z.number().int().optional(),
      label_type: LabelType.optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown keys: ${issue.keys.join(', ')}`
          : 'expected a mapping',
    },
  )
  .superRefine((label, ctx) => {
    if (label.label_type === 'builtin') {
      ctx.addIssue({
        code: 'custom',
        path: ['label_type'],
        message: "builtin labels can't be applied",
      })
    }
    const dynamic = label.label_membership_type === 'dynamic'
    if (dynamic && !LabelQuerySql.safeParse(label.query).success) {
      ctx.addIssue({ code: 'custom', path: ['query'], message: 'a dynamic label needs a query' })
    }
    if (dynamic && label.hosts && label.hosts.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['hosts'],
        message: 'only manual labels (label_membership_type: manual) take a host list',
      })
    }
    if (!dynamic && label.query.trim() !== '') {
      ctx.addIssue({ code: 'custom', path: ['query'], message: 'a manual label has no query' })
    }
  })
  .transform(({ id: _id, label_type: _type, hosts, ...spec }): LabelSpec => {
    // `hosts: null` or `[]` on a dynamic label is what an export says for "no list": drop it.
    return spec.label_membership_type === 'manual' && hosts !== undefined
      ? { ...spec, hosts }
      : spec
  })

/** A label as `GET /spec/labels` returns it: its spec, id and type. */
export type StoredLabelSpec = EndpointResponse<typeof getLabelSpecs>['specs'][number]

function hostsAsStrings(value: unknown): unknown {
  return Array.isArray(value)
    ? value.map((item) => (typeof item === 'number' ? String(item) : item))
    : value
}

/** The appliable spec of a label: Fleet's fields, without those that don't fit its type. */
export interface AppliableLabelSpec {
  name: string
  description: string
  query: string
  platform: string
  label_membership_type: LabelSpec['label_membership_type']
  hosts?: string[]
}

/**
 * What `get labels --yaml` prints for a label: a manual label keeps its host list (empty if it has
 * none, so that re-applying it keeps it manual and empty) and loses query and platform; a dynamic
 * one has no host list.
 */
export function labelSpecOf(label: LabelSpec): AppliableLabelSpec {
  const base = {
    name: label.name,
    description: label.description,
    query: label.query,
    platform: label.platform,
    label_membership_type: label.label_membership_type,
  }
  switch (label.label_membership_type) {
    case 'dynamic':
      return base
    case 'manual':
      return { ...base, query: '', platform: '', hosts: label.hosts ?? [] }
  }
}
