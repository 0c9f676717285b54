/**
 * An audit record as services describe it. `type` is Fleet's activity name (created_team,
 * changed_user_global_role, …); `details` is that type's documented fields.
 */
export interface ActivityInput {
  type: string
  details: Record<string, unknown>
  /** True when Fleet itself acted (cron, automations) rather than a person. */
  fleetInitiated?: boolean
  /**
   * Hosts the activity concerns beyond the `host_id` / `host_ids` of its details (an enrollment
   * names its host by serial): it shows in their past activity (`GET /hosts/:id/activities`).
   */
  hostIds?: readonly number[]
}

/** The hosts an activity concerns: its details' `host_id` and `host_ids`, and `hostIds`. */
export function activityHostIds(activity: ActivityInput): number[] {
  const { host_id: hostId, host_ids: hostIds } = activity.details
  const ids: unknown[] = [...(Array.isArray(hostIds) ? hostIds : []), hostId]
  ids.push(...(activity.hostIds ?? []))
  return [...new Set(ids.filter((id): id is number => Number.isInteger(id) && Number(id) > 0))]
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
