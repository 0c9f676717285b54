/** A policy as services see it (camelCase mirror of the row, with its author's name joined). */
export interface Policy {
  id: number
  createdAt: number
  updatedAt: number
  /** null for a global policy. */
  teamId: number | null
  name: string
  query: string
  description: string
  resolution: string
  /** Comma-separated darwin, windows, linux, chrome; '' for every platform. */
  platform: string
  critical: boolean
  calendarEventsEnabled: boolean
  authorId: number | null
  /** '' when the author was deleted. */
  authorName: string
  authorEmail: string
  passingHostCount: number
  failingHostCount: number
  /** null until the counts job first ran after the policy was created or changed. */
  hostCountUpdatedAt: number | null
}

/** What a user sets on a policy. */
export interface PolicyInput {
  name: string
  query: string
  description: string
  resolution: string
  platform: string
  critical: boolean
}

/** A policy as the check-in path keeps it in memory. */
export interface PolicyQuery {
  id: number
  teamId: number | null
  query: string
  platform: string
  updatedAt: number
}

/** A host's latest result: true pass, false fail, null when the query errored on the host. */
export type PolicyResult = boolean | null

/** Fleet's `response`: "pass", "fail", or "" for no (or an errored) result. */
export function responseOf(result: PolicyResult | undefined): 'pass' | 'fail' | '' {
  if (result === true) {
    return 'pass'
  }
  return result === false ? 'fail' : ''
}

/**
 * Whether a policy runs on a host of `hostPlatform`: every host when the policy names no
 * platform, else hosts of a listed platform ("linux" covers every Linux distribution).
 */
export function policyAppliesTo(
  policyPlatform: string,
  hostPlatform: string,
  isLinux: (platform: string) => boolean,
): boolean {
  if (policyPlatform === '') {
    return true
  }
  return policyPlatform
    .split(',')
    .some((p) => (p === 'linux' ? isLinux(hostPlatform) : p === hostPlatform))
}

/**
 * The results that changed direction (Fleet's flipping policies): newly failing are those that
 * fail now and did not fail before (passed, errored, or never ran); newly passing are those that
 * pass now and failed before. Errored results flip nothing.
 */
export function flips(
  previous: ReadonlyMap<number, PolicyResult>,
  incoming: ReadonlyMap<number, PolicyResult>,
): { newlyFailing: number[]; newlyPassing: number[] } {
  const newlyFailing: number[] = []
  const newlyPassing: number[] = []
  for (const [id, result] of incoming) {
    const before = previous.get(id)
    if (result === false && before !== false) {
      newlyFailing.push(id)
    } else if (result === true && before === false) {
      newlyPassing.push(id)
    }
  }
  return { newlyFailing, newlyPassing }
}

/** Splits `items` into batches of `size` (0: one batch of everything, as Fleet's host_batch_size). */
export function batches<T>(items: readonly T[], size: number): T[][] {
  if (items.length === 0) {
    return []
  }
  const step = size > 0 ? size : items.length
  const result: T[][] = []
  for (let i = 0; i < items.length; i += step) {
    result.push(items.slice(i, i + step))
  }
  return result
}

/** A failing-policies webhook automation (the global one, or a team's). */
export interface FailingPoliciesWebhookSettings {
  enable_failing_policies_webhook: boolean
  destination_url: string
  policy_ids: number[]
  host_batch_size: number
}

/** Whether the webhook covers a policy: turned on, and the policy is listed. */
export function webhookCovers(
  hook: FailingPoliciesWebhookSettings | undefined,
  policyId: number,
): hook is FailingPoliciesWebhookSettings {
  return (
    hook !== undefined &&
    hook.enable_failing_policies_webhook &&
    hook.destination_url !== '' &&
    hook.policy_ids.includes(policyId)
  )
}
