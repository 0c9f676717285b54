export interface EnrollSecretsTable {
  secret: string
  /** null for a global secret. */
  team_id: number | null
  created_at: number
}
