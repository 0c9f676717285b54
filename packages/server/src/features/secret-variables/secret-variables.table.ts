/** A secret variable: `name` without `FLEET_SECRET_`, `value` sealed with the server key. */
export interface SecretVariablesTable {
  name: string
  value: string
  created_at: number
  updated_at: number
}
