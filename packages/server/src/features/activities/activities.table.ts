import type { Generated } from 'kysely'

export interface ActivitiesTable {
  id: Generated<number>
  created_at: number
  /** Actor, copied so the record survives the user's deletion. */
  user_id: number | null
  user_name: string | null
  user_email: string | null
  activity_type: string
  details: string | null
  fleet_initiated: number
}

/** Which activities concern which host (Fleet's host_activities): the host page's past activity. */
export interface ActivityHostsTable {
  host_id: number
  activity_id: number
}
