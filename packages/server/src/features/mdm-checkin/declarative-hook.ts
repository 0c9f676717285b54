import type { Db } from '../../db/database.js'
import type { ResolvedEnrollment } from './checkin-message.js'

/** A DeclarativeManagement check-in, for the DDM feature to answer. */
export interface DeclarativeRequest {
  enrollment: ResolvedEnrollment
  endpoint: string
  /** The raw JSON the device sent (`Data`), if any. */
  data: Buffer | null
  db: Db
}

/** The DDM feature's answer: a JSON body (200), or a status with a reason. */
export type DeclarativeReply =
  { status: 200; json: unknown } | { status: 400 | 404; reason: string }

export type DeclarativeHandler = (request: DeclarativeRequest) => Promise<DeclarativeReply>

/**
 * Where the DDM feature plugs into the check-in endpoint (it is built after this module). Until
 * one is set, DeclarativeManagement check-ins get 400 "DDM not available yet".
 */
export interface DeclarativeHook {
  set(handler: DeclarativeHandler): void
  get(): DeclarativeHandler | undefined
}

export function createDeclarativeHook(): DeclarativeHook {
  let current: DeclarativeHandler | undefined
  return {
    set: (handler) => {
      current = handler
    },
    get: () => current,
  }
}
