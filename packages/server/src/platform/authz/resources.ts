import type { Subject } from './subject.js'

/**
 * Every kind of thing an authorization decision can be about, keyed by its `type`, with the fields a
 * rule needs. Platform declares none: each feature declares its own in its `<feature>.rules.ts`,
 * merging into this interface, e.g.
 * ```ts
 * declare module '../../platform/authz/index.js' {
 *   interface Resources {
 *     policy: { teamId: number | null }
 *   }
 * }
 * ```
 * so `authorize(ctx.authz, { type: 'policy', teamId }, 'write')` type-checks everywhere.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface Resources {}

/** The name of a resource type, e.g. `'policy'`. */
export type ResourceType = keyof Resources

/** One resource of type `T`: `{ type: T, ...its fields }`. */
export type ResourceOf<T extends ResourceType> = { type: T } & Resources[T]

/** Any resource: the union of every type features declared. */
export type Resource = { [T in ResourceType]: ResourceOf<T> }[ResourceType]

/** `assign_role`: set a user's global or team roles (never allowed on oneself by the self rule). */
export type Action = 'read' | 'list' | 'write' | 'create' | 'delete' | 'assign_role'

/** A feature's rule for one resource type: may `subject` do `action` on `resource`? Pure. */
export type Rule<T extends ResourceType> = (
  subject: Subject,
  action: Action,
  resource: ResourceOf<T>,
) => boolean

/** Rules for some resource types, as a feature declares them (its `<feature>Rules` export). */
export type RuleSet = { [T in ResourceType]?: Rule<T> }

/** A rule for every resource type: what the server composes from all features' rule sets. */
export type RuleBook = { [T in ResourceType]: Rule<T> }
