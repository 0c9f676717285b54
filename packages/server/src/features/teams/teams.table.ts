import type { Generated } from 'kysely'

export interface TeamsTable {
  id: Generated<number>
  created_at: number
  name: string
  description: string
  /** JSON agent options, or null to inherit the global ones. */
  agent_options: string | null
  /** JSON of the team's features, webhook and host expiry settings. */
  settings: string
}
