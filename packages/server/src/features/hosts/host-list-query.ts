import type { HostFilters } from '@fleet/api'
import { readableHostTeams, type Subject } from '../../platform/authz/index.js'
import { InvalidArgumentError } from '../../platform/errors/index.js'
import { HOST_ORDER_KEYS, type HostFilter, type HostOrderKey } from './host-list.store.js'

/** How Fleet's host list parameters become a store filter: pure, so the rules read in one place. */

function policyFilter(filters: HostFilters): HostFilter['policy'] {
  if (filters.policy_response === undefined) {
    return undefined
  }
  if (filters.policy_id === undefined) {
    throw InvalidArgumentError.field(
      'policy_id',
      'Missing policy_id (it must be present when policy_response is specified)',
    )
  }
  return { id: filters.policy_id, passes: filters.policy_response === 'passing' }
}

/**
 * Fleet's `os_name` + `os_version` pair as the host's OS text ("Ubuntu" + "22.04.3 LTS" is
 * "Ubuntu 22.04.3 LTS", what the os_version detail query stores); one without the other is a 400.
 */
function osFilter(filters: HostFilters): string | undefined {
  const { os_name: name, os_version: version } = filters
  if (name === undefined && version === undefined) {
    return undefined
  }
  if (version === undefined) {
    throw InvalidArgumentError.field('os_version', 'os_version must be specified with os_name')
  }
  if (name === undefined) {
    throw InvalidArgumentError.field('os_name', 'os_name must be specified with os_version')
  }
  return `${name} ${version}`
}

/** Fleet's `profile_uuid` + `profile_status` pair; one without the other is a 400. */
function profileFilter(filters: HostFilters): HostFilter['profile'] {
  const { profile_uuid: uuid, profile_status: status } = filters
  if (uuid === undefined && status === undefined) {
    return undefined
  }
  if (status === undefined) {
    throw InvalidArgumentError.field(
      'profile_status',
      'profile_status must be specified with profile_uuid',
    )
  }
  if (uuid === undefined) {
    throw InvalidArgumentError.field(
      'profile_uuid',
      'profile_uuid must be specified with profile_status',
    )
  }
  return { uuid, status }
}

/** The store filter for Fleet's host filters, seen by `subject`. `mia` is Fleet's old `missing`. */
export function toHostFilter(subject: Subject, filters: HostFilters, now: number): HostFilter {
  return {
    policy: policyFilter(filters),
    now,
    query: filters.query,
    status: filters.status === 'mia' ? 'missing' : filters.status,
    teamId: filters.team_id,
    labelId: filters.label_id,
    diskSpace: filters.low_disk_space === undefined ? undefined : { below: filters.low_disk_space },
    osVersion: osFilter(filters),
    mdmEnrollment: filters.mdm_enrollment_status,
    osSettings: filters.os_settings ?? filters.macos_settings,
    profile: profileFilter(filters),
    visibleTeamIds: readableHostTeams(subject),
  }
}

/** `order_key` (default hostname) as a column the list can be ordered by, or a 400. */
export function hostOrderKey(orderKey: string | undefined): HostOrderKey {
  const key = HOST_ORDER_KEYS.find((k) => k === (orderKey ?? 'hostname'))
  if (!key) {
    throw InvalidArgumentError.field('order_key', `must be one of ${HOST_ORDER_KEYS.join(', ')}`)
  }
  return key
}

const TIME_KEYS: ReadonlySet<HostOrderKey> = new Set([
  'seen_time',
  'created_at',
  'updated_at',
  'detail_updated_at',
])
const NUMBER_KEYS: ReadonlySet<HostOrderKey> = new Set(['id', 'memory', 'team_id', 'uptime'])

/**
 * Fleet's keyset paging: `after` is a value of the `order_key` column, in the wire's form (a
 * time for timestamps, nanoseconds for uptime); it needs an explicit `order_key`.
 */
export function afterValue(
  orderKey: string | undefined,
  after: string | undefined,
): string | number | undefined {
  if (after === undefined) {
    return undefined
  }
  if (orderKey === undefined) {
    throw InvalidArgumentError.field('after', 'order_key must be specified with after')
  }
  const key = hostOrderKey(orderKey)
  if (TIME_KEYS.has(key)) {
    const time = Date.parse(after)
    if (Number.isNaN(time)) {
      throw InvalidArgumentError.field('after', `must be a time for order_key ${key}`)
    }
    return time
  }
  if (NUMBER_KEYS.has(key)) {
    const value = Number(after)
    if (after.trim() === '' || !Number.isFinite(value)) {
      throw InvalidArgumentError.field('after', `must be a number for order_key ${key}`)
    }
    return key === 'uptime' ? value / 1e9 : value
  }
  return after
}
