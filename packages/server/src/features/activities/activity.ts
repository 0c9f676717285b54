/**
 * An audit record as services describe it. `type` is Fleet's activity name (created_team,
 * changed_user_global_role, …); `details` is that type's documented fields.
 */
export interface ActivityInput {
  type: string
  details: Record<string, unknown>
  /** True when Fleet itself acted (cron, automations) rather than a person. */
  fleetInitiated?: boolean
}

export interface Activity {
  id: number
  createdAt: number
  actorId: number | null
  actorName: string | null
  actorEmail: string | null
  type: string
  details: Record<string, unknown> | null
  fleetInitiated: boolean
}
