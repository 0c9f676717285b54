import { z } from 'zod'

/**
 * Stable error codes. Clients branch on these, never on message text.
 * Each is carried in the error body's `code` next to Fleet's `message` and `errors`.
 */
export const ErrorCode = {
  BAD_REQUEST: 'BAD_REQUEST',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  MALFORMED_JSON: 'MALFORMED_JSON',
  BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  AUTH_REQUIRED: 'AUTH_REQUIRED',
  AUTH_FAILED: 'AUTH_FAILED',
  PASSWORD_RESET_REQUIRED: 'PASSWORD_RESET_REQUIRED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  ALREADY_EXISTS: 'ALREADY_EXISTS',
  CONFLICT: 'CONFLICT',
  SETUP_ALREADY_DONE: 'SETUP_ALREADY_DONE',
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  RATE_LIMITED: 'RATE_LIMITED',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
  USER_NOT_FOUND: 'USER_NOT_FOUND',
  USER_EMAIL_EXISTS: 'USER_EMAIL_EXISTS',
  TEAM_NOT_FOUND: 'TEAM_NOT_FOUND',
  TEAM_NAME_EXISTS: 'TEAM_NAME_EXISTS',
  SESSION_NOT_FOUND: 'SESSION_NOT_FOUND',
  ENROLL_SECRET_EXISTS: 'ENROLL_SECRET_EXISTS',
  QUERY_NOT_FOUND: 'QUERY_NOT_FOUND',
  QUERY_NAME_EXISTS: 'QUERY_NAME_EXISTS',
  PACK_NOT_FOUND: 'PACK_NOT_FOUND',
  PACK_NAME_EXISTS: 'PACK_NAME_EXISTS',
  SCHEDULED_QUERY_NOT_FOUND: 'SCHEDULED_QUERY_NOT_FOUND',
  POLICY_NOT_FOUND: 'POLICY_NOT_FOUND',
  POLICY_NAME_EXISTS: 'POLICY_NAME_EXISTS',
  LIVE_QUERY_DISABLED: 'LIVE_QUERY_DISABLED',
  LIVE_QUERY_NO_TARGETS: 'LIVE_QUERY_NO_TARGETS',
  MDM_NOT_CONFIGURED: 'MDM_NOT_CONFIGURED',
  SERVER_PRIVATE_KEY_MISSING: 'SERVER_PRIVATE_KEY_MISSING',
  ABM_TOKEN_NOT_FOUND: 'ABM_TOKEN_NOT_FOUND',
  ABM_TOKEN_EXISTS: 'ABM_TOKEN_EXISTS',
  ABM_TOKEN_INVALID: 'ABM_TOKEN_INVALID',
} as const

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

/** One field-level problem: `name` is the field (or `base`), `reason` says what is wrong. */
export const ErrorDetail = z.object({ name: z.string(), reason: z.string() })
export type ErrorDetail = z.infer<typeof ErrorDetail>

/** Fleet's error body, plus our stable `code`. */
export const ErrorBody = z
  .object({
    message: z.string(),
    code: z.string(),
    errors: z.array(ErrorDetail),
    uuid: z.string().optional(),
  })
  .meta({ id: 'Error' })
export type ErrorBody = z.infer<typeof ErrorBody>
