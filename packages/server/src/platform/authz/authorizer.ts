import { AuthRequiredError, ForbiddenError } from '../errors/index.js'
import type {
  Action,
  Resource,
  ResourceOf,
  ResourceType,
  Rule,
  RuleBook,
  RuleSet,
} from './resources.js'
import type { Subject } from './subject.js'

/** Decides with the rules every feature registered; built once, at composition. */
export interface Authorizer {
  can(subject: Subject, action: Action, resource: Resource): boolean
}

/**
 * The authorizer over a complete rule book (one rule per resource type, each from its feature's
 * `<feature>.rules.ts`). Tests may pass a partial set; a type with no rule is always refused.
 */
export function createAuthorizer(rules: RuleBook | RuleSet): Authorizer {
  const book: RuleSet = { ...rules }
  return { can: (subject, action, resource) => decide(book, subject, action, resource) }
}

function decide<T extends ResourceType>(
  rules: RuleSet,
  subject: Subject,
  action: Action,
  resource: ResourceOf<T>,
): boolean {
  const rule: Rule<T> | undefined = rules[resource.type]
  return rule !== undefined && rule(subject, action, resource)
}

/**
 * The authorization state of one request: the server's authorizer, the acting subject, and whether
 * the request authorized (the HTTP layer's backstop reads `checked`).
 */
export interface AuthzState {
  authorizer: Authorizer
  subject?: Subject
  checked: boolean
}

/**
 * Throws ForbiddenError unless the acting subject may do `action` on `resource`. Marks the request
 * as checked either way, so the backstop knows the route authorized.
 */
export function authorize(state: AuthzState, resource: Resource, action: Action): Subject {
  state.checked = true
  const { subject } = state
  if (!subject) {
    throw new AuthRequiredError()
  }
  if (!state.authorizer.can(subject, action, resource)) {
    throw new ForbiddenError()
  }
  return subject
}

/** For work that is public by design (setup, login): marks the request as checked. */
export function skipAuthorization(state: AuthzState): void {
  state.checked = true
}

/** Like authorize, but answers instead of throwing (filtering lists). */
export function allowed(state: AuthzState, resource: Resource, action: Action): boolean {
  return state.subject !== undefined && state.authorizer.can(state.subject, action, resource)
}
