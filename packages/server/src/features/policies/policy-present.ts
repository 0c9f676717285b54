import type { DevicePolicy, HostPolicyJson, Policy as PolicyJson } from '@fleet/api'
import { isoTime } from '../../platform/clock.js'
import { responseOf, type Policy, type PolicyResult } from './policy.js'

/** A policy in Fleet's wire shape. */
export function presentPolicy(policy: Policy): PolicyJson {
  return {
    id: policy.id,
    name: policy.name,
    query: policy.query,
    description: policy.description,
    critical: policy.critical,
    author_id: policy.authorId,
    author_name: policy.authorName,
    author_email: policy.authorEmail,
    team_id: policy.teamId,
    resolution: policy.resolution,
    platform: policy.platform,
    calendar_events_enabled: policy.calendarEventsEnabled,
    created_at: isoTime(policy.createdAt),
    updated_at: isoTime(policy.updatedAt),
    passing_host_count: policy.passingHostCount,
    failing_host_count: policy.failingHostCount,
    host_count_updated_at:
      policy.hostCountUpdatedAt === null ? null : isoTime(policy.hostCountUpdatedAt),
  }
}

/** A policy in a host's detail, with the host's response. */
export function presentHostPolicy(
  policy: Policy,
  result: PolicyResult | undefined,
): HostPolicyJson {
  const {
    passing_host_count: _passing,
    failing_host_count: _failing,
    host_count_updated_at: _updated,
    ...rest
  } = presentPolicy(policy)
  return { ...rest, response: responseOf(result) }
}

/** A policy on the host's own "My device" page. */
export function presentDevicePolicy(
  policy: Policy,
  result: PolicyResult | undefined,
): DevicePolicy {
  return {
    id: policy.id,
    name: policy.name,
    query: policy.query,
    description: policy.description,
    resolution: policy.resolution,
    platform: policy.platform,
    critical: policy.critical,
    response: responseOf(result),
  }
}
