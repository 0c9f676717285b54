import type { Generated } from 'kysely'

export interface SessionsTable {
  id: Generated<number>
  user_id: number
  /** SHA-256 of the bearer token: a leaked database does not leak live sessions. */
  token_hash: string
  created_at: number
  accessed_at: number
}
