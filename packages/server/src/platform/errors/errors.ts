import { ErrorCode, type ErrorDetail } from '@fleet/api'

/** Base of every error the server throws on purpose; only the HTTP error handler maps it to a status. */
export abstract class FleetError extends Error {
  abstract readonly kind:
    | 'invalid'
    | 'validation'
    | 'auth_required'
    | 'auth_failed'
    | 'forbidden'
    | 'not_found'
    | 'exists'
    | 'conflict'
    | 'rate_limited'
    | 'unavailable'
    | 'internal'
  readonly code: ErrorCode
  readonly details: ErrorDetail[]

  constructor(code: ErrorCode, message: string, details: ErrorDetail[] = [], cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause })
    this.code = code
    this.details = details.length > 0 ? details : [{ name: 'base', reason: message }]
  }
}

/** 400: a request field is missing or malformed. */
export class InvalidArgumentError extends FleetError {
  readonly kind = 'invalid'
  constructor(details: ErrorDetail[], code: ErrorCode = ErrorCode.INVALID_ARGUMENT) {
    super(code, 'Bad request', details)
  }
  static field(name: string, reason: string, code?: ErrorCode): InvalidArgumentError {
    return new InvalidArgumentError([{ name, reason }], code)
  }
}

/** 422: well-formed but unacceptable (wrong old password, password rules). */
export class ValidationError extends FleetError {
  readonly kind = 'validation'
  constructor(details: ErrorDetail[], code: ErrorCode = ErrorCode.VALIDATION_FAILED) {
    super(code, 'Validation Failed', details)
  }
}

/** 401: no credentials, or credentials that do not identify a session. */
export class AuthRequiredError extends FleetError {
  readonly kind = 'auth_required'
  constructor(reason = 'Authentication required') {
    super(ErrorCode.AUTH_REQUIRED, 'Authentication required', [{ name: 'base', reason }])
  }
}

/**
 * 401: a login or enrollment attempt that failed; the reason never says which half was wrong
 * (agents' enrollment says which secret check failed, as Fleet does).
 */
export class AuthFailedError extends FleetError {
  readonly kind = 'auth_failed'
  constructor(reason = 'Authentication failed') {
    super(ErrorCode.AUTH_FAILED, 'Authentication failed', [{ name: 'base', reason }])
  }
}

/** 403 */
export class ForbiddenError extends FleetError {
  readonly kind = 'forbidden'
  constructor(reason = 'forbidden', code: ErrorCode = ErrorCode.FORBIDDEN) {
    super(code, 'Permission Denied', [{ name: 'base', reason }])
  }
}

/** 404; the reason is "<what> was not found" unless given (e.g. to list what exists). */
export class NotFoundError extends FleetError {
  readonly kind = 'not_found'
  constructor(
    what: string,
    code: ErrorCode = ErrorCode.NOT_FOUND,
    reason = `${what} was not found`,
  ) {
    super(code, 'Resource Not Found', [{ name: 'base', reason }])
  }
}

/** 409: a unique name or key is taken. */
export class AlreadyExistsError extends FleetError {
  readonly kind = 'exists'
  constructor(field: string, reason: string, code: ErrorCode = ErrorCode.ALREADY_EXISTS) {
    super(code, 'Resource Already Exists', [{ name: field, reason }])
  }
}

/** 409: the request conflicts with the current state. */
export class ConflictError extends FleetError {
  readonly kind = 'conflict'
  constructor(reason: string, code: ErrorCode = ErrorCode.CONFLICT) {
    super(code, 'Conflict', [{ name: 'base', reason }])
  }
}

/** 429, with the number of seconds to wait. */
export class RateLimitedError extends FleetError {
  readonly kind = 'rate_limited'
  readonly retryAfterSeconds: number
  constructor(retryAfterSeconds: number) {
    const text = `limit exceeded, retry after: ${retryAfterSeconds}s`
    super(ErrorCode.RATE_LIMITED, text, [{ name: 'base', reason: text }])
    this.retryAfterSeconds = retryAfterSeconds
  }
}

/**
 * 503: the server can't take this now; the client should send it again later (after
 * `retryAfterSeconds`, sent as `Retry-After`, when given).
 */
export class UnavailableError extends FleetError {
  readonly kind = 'unavailable'
  readonly retryAfterSeconds: number | undefined
  constructor(reason: string, options: { retryAfterSeconds?: number } = {}) {
    super(ErrorCode.UNAVAILABLE, 'Service Unavailable', [{ name: 'base', reason }])
    this.retryAfterSeconds = options.retryAfterSeconds
  }
}

/** 500: something broke; `what` says what we were doing. Wrap causes when crossing a layer. */
export class InternalError extends FleetError {
  readonly kind = 'internal'
  constructor(what: string, options?: { cause?: unknown }) {
    super(ErrorCode.INTERNAL, `failed ${what}`, [], options?.cause)
  }
}

/** The message of anything thrown. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
