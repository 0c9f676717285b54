export interface AppConfigTable {
  /** Always 1: a single row. */
  id: number
  json: string
  updated_at: number
}
