import { AuthRequiredError, ForbiddenError } from '../errors/index.js'
import { can, type Action, type Resource } from './policy.js'
import type { Subject } from './subject.js'

/** The authorization state of one request; the HTTP layer's backstop reads `checked`. */
export interface AuthzState {
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
  if (!can(subject, action, resource)) {
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
  return state.subject !== undefined && can(state.subject, action, resource)
}
