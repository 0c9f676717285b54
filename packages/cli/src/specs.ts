import {
  EnrollSecretInput,
  MAX_ENROLL_SECRETS,
  PackSpec,
  PolicySpec,
  QuerySpec,
  ServerFacts,
  TeamSpec,
  type LabelSpec,
} from '@fleet/api'
import { parseAllDocuments } from 'yaml'
import { z } from 'zod'
import { CliError } from './errors.js'
import { LabelSpecInput } from './label-specs.js'
import { UserRolesSpec } from './user-roles.js'

/** The spec kinds `fleetctl apply` and `delete` handle. */
export const SUPPORTED_KINDS = [
  'label',
  'team',
  'enroll_secret',
  'config',
  'query',
  'policy',
  'user_roles',
  'pack',
] as const

/** A `kind: team` document: `spec.team`, validated; `ignored` lists keys we don't support. */
export interface TeamDoc {
  kind: 'team'
  index: number
  spec: TeamSpec
  ignored: string[]
}

/** A `kind: enroll_secret` document: the global enroll secrets. */
export interface EnrollSecretDoc {
  kind: 'enroll_secret'
  index: number
  secrets: Array<{ secret: string }>
}

/** A `kind: config` document: org settings, sent as given for the server to merge and validate. */
export interface ConfigDoc {
  kind: 'config'
  index: number
  spec: Record<string, unknown>
  ignored: string[]
}

/** A `kind: label` document: one label, validated (see {@link LabelSpecInput}). */
export interface LabelDoc {
  kind: 'label'
  index: number
  spec: LabelSpec
}

/** A `kind: query` document: one saved query (`team` is a team name, '' = global). */
export interface QueryDoc {
  kind: 'query'
  index: number
  spec: QuerySpec
}

/** A `kind: policy` document: one policy (`team` is a team name, '' = global). */
export interface PolicyDoc {
  kind: 'policy'
  index: number
  spec: PolicySpec
}

/** A `kind: user_roles` document: users' global and team roles, by email. */
export interface UserRolesDoc {
  kind: 'user_roles'
  index: number
  spec: UserRolesSpec
}

/** A `kind: pack` document: a 2017-style pack, its label and team targets and its queries. */
export interface PackDoc {
  kind: 'pack'
  index: number
  spec: PackSpec
}

export type SpecDoc =
  LabelDoc | TeamDoc | EnrollSecretDoc | ConfigDoc | QueryDoc | PolicyDoc | UserRolesDoc | PackDoc

/** The documents of one file by kind; at most one enroll_secret and one config document. */
export interface SpecGroup {
  labels: LabelDoc[]
  teams: TeamDoc[]
  enrollSecret: EnrollSecretDoc | undefined
  config: ConfigDoc | undefined
  queries: QueryDoc[]
  policies: PolicyDoc[]
  userRoles: UserRolesDoc[]
  packs: PackDoc[]
}

/** A spec file problem, naming the file, the document (1-based) and its kind. */
export class SpecError extends CliError {
  constructor(source: string, index: number, kind: string | undefined, problem: string) {
    const what = kind === undefined ? '' : ` (kind "${kind}")`
    super(`${source}: document ${index}${what}: ${problem}`)
  }
}

const Envelope = z.object(
  {
    apiVersion: z.unknown().optional(),
    kind: z.string({ error: 'missing "kind"' }).min(1, 'missing "kind"'),
    spec: z.record(z.string(), z.unknown(), { error: 'missing "spec" (a mapping)' }),
  },
  { error: 'expected a mapping with apiVersion, kind and spec' },
)

const TeamEnvelope = z.object({
  team: z.record(z.string(), z.unknown(), { error: 'missing "spec.team" (a mapping)' }),
})

const EnrollSecretSpec = z.object({
  secrets: z
    .array(EnrollSecretInput, { error: 'missing "spec.secrets" (a list)' })
    .max(MAX_ENROLL_SECRETS, `at most ${MAX_ENROLL_SECRETS} secrets`),
})

const TEAM_KEYS = new Set(Object.keys(TeamSpec.shape))
/** Keys of `GET /config` that come from the server's own configuration and can't be applied. */
export const SERVER_ONLY_CONFIG_KEYS: ReadonlySet<string> = new Set(Object.keys(ServerFacts.shape))

/**
 * Parses a multi-document YAML spec file (`apiVersion: v1`, `kind`, `spec`), validating each
 * document. Empty documents are skipped but still counted, so "document 3" is the third one.
 * @throws SpecError on the first invalid document
 */
export function parseSpecDocuments(text: string, source: string): SpecDoc[] {
  const docs: SpecDoc[] = []
  parseAllDocuments(text).forEach((doc, i) => {
    const index = i + 1
    const syntax = doc.errors[0]
    if (syntax) {
      throw new SpecError(source, index, undefined, `invalid YAML: ${syntax.message}`)
    }
    const value: unknown = doc.toJS()
    if (value === null || value === undefined) {
      return
    }
    docs.push(parseDocument(value, source, index))
  })
  return docs
}

/** Groups documents by kind, refusing a second enroll_secret or config document. */
export function groupSpecs(docs: readonly SpecDoc[], source: string): SpecGroup {
  const group: SpecGroup = {
    labels: [],
    teams: [],
    enrollSecret: undefined,
    config: undefined,
    queries: [],
    policies: [],
    userRoles: [],
    packs: [],
  }
  for (const doc of docs) {
    switch (doc.kind) {
      case 'label':
        group.labels.push(doc)
        break
      case 'team':
        group.teams.push(doc)
        break
      case 'query':
        group.queries.push(doc)
        break
      case 'policy':
        group.policies.push(doc)
        break
      case 'user_roles':
        group.userRoles.push(doc)
        break
      case 'pack':
        group.packs.push(doc)
        break
      case 'enroll_secret':
        if (group.enrollSecret) {
          throw duplicate(source, doc, group.enrollSecret.index)
        }
        group.enrollSecret = doc
        break
      case 'config':
        if (group.config) {
          throw duplicate(source, doc, group.config.index)
        }
        group.config = doc
        break
    }
  }
  return group
}

function duplicate(source: string, doc: SpecDoc, first: number): SpecError {
  return new SpecError(source, doc.index, doc.kind, `only one per file (see document ${first})`)
}

function parseDocument(value: unknown, source: string, index: number): SpecDoc {
  const envelope = Envelope.safeParse(value)
  if (!envelope.success) {
    const problems = envelope.error.issues.map((issue) => issue.message)
    throw new SpecError(source, index, kindOf(value), problems.join('; '))
  }
  const { apiVersion, kind, spec } = envelope.data
  if (apiVersion !== undefined && apiVersion !== 'v1') {
    throw new SpecError(
      source,
      index,
      kind,
      `unsupported apiVersion ${JSON.stringify(apiVersion)} (expected v1)`,
    )
  }
  const fail = (problem: string): SpecError => new SpecError(source, index, kind, problem)
  switch (kind) {
    case 'label':
      return parseLabel(spec, index, fail)
    case 'team':
      return parseTeam(spec, index, fail)
    case 'enroll_secret':
      return parseEnrollSecret(spec, index, fail)
    case 'config':
      return parseConfig(spec, index)
    case 'query': {
      const parsed = QuerySpec.safeParse(spec)
      if (!parsed.success) {
        throw fail(issues(parsed.error, ['spec']))
      }
      return { kind: 'query', index, spec: parsed.data }
    }
    case 'policy': {
      const parsed = PolicySpec.safeParse(spec)
      if (!parsed.success) {
        throw fail(issues(parsed.error, ['spec']))
      }
      return { kind: 'policy', index, spec: parsed.data }
    }
    case 'user_roles': {
      const parsed = UserRolesSpec.safeParse(spec)
      if (!parsed.success) {
        throw fail(issues(parsed.error, ['spec']))
      }
      return { kind: 'user_roles', index, spec: parsed.data }
    }
    case 'pack': {
      const parsed = PackSpec.safeParse(spec)
      if (!parsed.success) {
        throw fail(issues(parsed.error, ['spec']))
      }
      return { kind: 'pack', index, spec: parsed.data }
    }
    default:
      throw fail(`unknown kind "${kind}" (supported: ${SUPPORTED_KINDS.join(', ')})`)
  }
}

type Fail = (problem: string) => SpecError

function parseLabel(spec: Record<string, unknown>, index: number, fail: Fail): LabelDoc {
  const parsed = LabelSpecInput.safeParse(spec)
  if (!parsed.success) {
    throw fail(issues(parsed.error, ['spec']))
  }
  return { kind: 'label', index, spec: parsed.data }
}

function parseTeam(spec: Record<string, unknown>, index: number, fail: Fail): TeamDoc {
  const envelope = TeamEnvelope.safeParse(spec)
  if (!envelope.success) {
    throw fail(issues(envelope.error))
  }
  // Fleet writes `secrets: null`, `mdm: null`... for "leave as is": drop them, as Fleet does.
  const raw = Object.fromEntries(
    Object.entries(envelope.data.team).filter(([key, v]) => v !== null || key === 'agent_options'),
  )
  const ignored = Object.keys(raw).filter((key) => !TEAM_KEYS.has(key))
  const parsed = TeamSpec.safeParse(
    Object.fromEntries(Object.entries(raw).filter(([key]) => TEAM_KEYS.has(key))),
  )
  if (!parsed.success) {
    throw fail(issues(parsed.error, ['spec', 'team']))
  }
  return { kind: 'team', index, spec: parsed.data, ignored }
}

function parseEnrollSecret(
  spec: Record<string, unknown>,
  index: number,
  fail: Fail,
): EnrollSecretDoc {
  const parsed = EnrollSecretSpec.safeParse(spec)
  if (!parsed.success) {
    throw fail(issues(parsed.error, ['spec']))
  }
  return { kind: 'enroll_secret', index, secrets: parsed.data.secrets }
}

function parseConfig(spec: Record<string, unknown>, index: number): ConfigDoc {
  // `get config --include-server-config` adds read-only server facts; applying them is harmless.
  const ignored = Object.keys(spec).filter((key) => SERVER_ONLY_CONFIG_KEYS.has(key))
  const kept = Object.fromEntries(
    Object.entries(spec).filter(([key]) => !SERVER_ONLY_CONFIG_KEYS.has(key)),
  )
  return { kind: 'config', index, spec: kept, ignored }
}

function kindOf(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null && 'kind' in value) {
    return typeof value.kind === 'string' ? value.kind : undefined
  }
  return undefined
}

function issues(error: z.ZodError, prefix: readonly string[] = []): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = [...prefix, ...issue.path.map(String)].join('.')
      return path === '' ? issue.message : `${path}: ${issue.message}`
    })
    .join('; ')
}
