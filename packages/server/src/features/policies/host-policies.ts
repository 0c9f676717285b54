import type { DevicePolicy, HostPolicyJson } from '@fleet/api'
import type { Db } from '../../db/database.js'
import { isLinux } from '../hosts/index.js'
import * as store from './policies.store.js'
import { policyAppliesTo, type Policy, type PolicyResult } from './policy.js'
import { failingCounts, hostResults } from './policy-membership.store.js'
import { presentDevicePolicy, presentHostPolicy } from './policy-present.js'

/** The host fields that decide which policies apply to it. */
export interface PolicyHost {
  id: number
  teamId: number | null
  platform: string
}

/** The policies that apply to a host (global and its team's, for its platform) with its results. */
async function policiesOf(
  db: Db,
  host: PolicyHost,
): Promise<{ policy: Policy; result: PolicyResult | undefined }[]> {
  const policies = (await store.listPolicies(db, { teams: [null, host.teamId] })).filter((p) =>
    policyAppliesTo(p.platform, host.platform, isLinux),
  )
  const results = await hostResults(
    db,
    host.id,
    policies.map((p) => p.id),
  )
  return policies.map((policy) => ({ policy, result: results.get(policy.id) }))
}

/**
 * What the hosts feature and the device API read about a host's policies, plugged in by the
 * server (hosts can't import policies: policies import hosts).
 */
export function hostPolicySources(db: Db) {
  return {
    /** Failing policies per host, for `issues` in host lists and details. */
    failingCounts: (hostIds: readonly number[]) => failingCounts(db, hostIds),
    /** The host detail's `policies`. */
    async hostPolicies(host: PolicyHost): Promise<HostPolicyJson[]> {
      return (await policiesOf(db, host)).map(({ policy, result }) =>
        presentHostPolicy(policy, result),
      )
    },
    /** The My-device page's policies (and the tray's failing count). */
    async devicePolicies(host: PolicyHost): Promise<DevicePolicy[]> {
      return (await policiesOf(db, host)).map(({ policy, result }) =>
        presentDevicePolicy(policy, result),
      )
    },
  }
}

export type HostPolicySources = ReturnType<typeof hostPolicySources>
