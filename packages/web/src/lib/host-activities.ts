import type { Activity } from '@fleet/api'

/**
 * Whether an activity concerns a host: by id (`host_id`, `host_ids`: transfers, deletes, live
 * queries) or, for fleetd's enrollment, by serial number (`host_serial`). The server keeps no
 * host-to-activity table, so the host page filters the recent feed with this.
 */
export function concernsHost(
  activity: Pick<Activity, 'details'>,
  host: { id: number; hardware_serial: string },
): boolean {
  const details = activity.details ?? {}
  if (details.host_id === host.id) {
    return true
  }
  if (Array.isArray(details.host_ids) && details.host_ids.includes(host.id)) {
    return true
  }
  return host.hardware_serial !== '' && details.host_serial === host.hardware_serial
}
