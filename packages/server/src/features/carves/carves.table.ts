import type { Generated } from 'kysely'

export interface CarvesTable {
  id: Generated<number>
  created_at: number
  host_id: number
  /** `<hostname>-<time>-<request id>`, like Fleet. */
  name: string
  block_count: number
  block_size: number
  carve_size: number
  /** osquery's own id for the carve. */
  carve_id: string
  /** The live query that started it, e.g. `fleet_distributed_query_30`. */
  request_id: string
  session_id: string
  max_block: Generated<number>
  error: string | null
}

export interface CarveBlocksTable {
  carve_id: number
  block_id: number
  data: Buffer
}
