import type { Generated } from 'kysely'

export interface UsersTable {
  id: Generated<number>
  created_at: number
  updated_at: number
  name: string
  email: string
  /** scrypt hash in PHC-like text form; see password.ts. */
  password_hash: string
  global_role: string | null
  api_only: number
  force_password_reset: number
  sso_enabled: number
  position: string
}

/** A user's role on one team. Global and team roles are exclusive. */
export interface UserTeamsTable {
  user_id: number
  team_id: number
  role: string
}
