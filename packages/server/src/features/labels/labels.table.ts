import type { Generated } from 'kysely'

export interface LabelsTable {
  id: Generated<number>
  created_at: number
  updated_at: number
  name: string
  description: string
  /** osquery SQL for dynamic labels; empty for manual ones. */
  query: string
  /** '' for every platform. */
  platform: Generated<string>
  label_type: string
  label_membership_type: string
}

/** Which hosts belong to which labels (dynamic: from query results; manual: as set by users). */
export interface LabelMembershipTable {
  label_id: number
  host_id: number
  updated_at: number
}
