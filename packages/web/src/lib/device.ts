import { FleetApiError } from '@fleet/client/browser'

/** A policy as My device shows it: the host's own answer. */
export interface DevicePolicyView {
  id: number
  name: string
  critical: boolean
  response: 'pass' | 'fail' | ''
}

/**
 * Policies in the order the end user should act on them: failing first (critical ones before
 * the rest), then those not yet run, then passing ones; by name within each group.
 */
export function sortDevicePolicies<P extends DevicePolicyView>(policies: readonly P[]): P[] {
  const rank = (p: P): number =>
    p.response === 'fail' ? (p.critical ? 0 : 1) : p.response === '' ? 2 : 3
  return [...policies].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))
}

/** "2 policies failing", "All policies passing", "No policies": the headline of the policies card. */
export function policySummary(policies: readonly DevicePolicyView[]): string {
  if (policies.length === 0) {
    return 'No policies apply to this device.'
  }
  const failing = policies.filter((p) => p.response === 'fail').length
  if (failing > 0) {
    return `${failing} ${failing === 1 ? 'policy needs' : 'policies need'} your attention.`
  }
  const pending = policies.filter((p) => p.response === '').length
  if (pending > 0) {
    return `No failing policies; ${pending} not checked yet.`
  }
  return 'Your device passes every policy.'
}

/**
 * Whether a device API error means the link itself is no good: Fleet answers 401 for an unknown
 * or expired device token (and 404 when no host holds it any more).
 */
export function isInvalidDeviceLink(error: unknown): boolean {
  return error instanceof FleetApiError && (error.status === 401 || error.status === 404)
}
