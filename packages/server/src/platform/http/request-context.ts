import type { Log } from '../logger.js'
import type { Authorizer, AuthzState } from '../authz/index.js'

/** The acting user's identity, for audit records. */
export interface Actor {
  id: number
  name: string
  email: string
}

/** Per-request state that services receive: who acts, where from, and how to log. */
export interface RequestCtx {
  authz: AuthzState
  actor?: Actor
  sessionId?: number
  /** The client's IP (X-Forwarded-For only when `server.trust_proxy` is on). */
  ip: string
  log: Log
}

/** What `authenticate` returns for a valid bearer token. */
export interface Authenticated {
  authz: Required<Pick<AuthzState, 'subject'>>['subject']
  actor: Actor
  sessionId: number
  forcePasswordReset: boolean
}

/** Looks a bearer token up; undefined when it names no live session. */
export type Authenticate = (token: string) => Promise<Authenticated | undefined>

/** A context for work that no HTTP request started (cron, CLI), optionally acting as a user. */
export function systemCtx(log: Log, authorizer: Authorizer): RequestCtx {
  return { authz: { authorizer, checked: false }, ip: '', log }
}
