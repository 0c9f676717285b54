import {
  CampaignStatus,
  MAX_LIVE_QUERY_ROWS_PER_HOST,
  type CampaignTotals,
  type ResultRow,
  type Role,
  type TargetMetrics,
} from '@fleet/api'
import type { Subject } from '../../platform/authz/index.js'
import { hostStatus, isMissing, NEW_WITHIN_MS } from '../hosts/index.js'

export { CampaignStatus }
export type CampaignStatusValue = (typeof CampaignStatus)[keyof typeof CampaignStatus]

/** A campaign nobody reads within this long after creation is stopped (Fleet's rule). */
export const ORPHAN_AFTER_MS = 60_000
/** Any campaign is stopped this long after creation (Fleet's cleanup does the same). */
export const MAX_CAMPAIGN_AGE_MS = 86_400_000

/** A live-query campaign as services see it. */
export interface Campaign {
  id: number
  createdAt: number
  updatedAt: number
  queryId: number | null
  queryName: string | null
  sql: string
  status: number
  userId: number
  /** Resolved targets, ascending. */
  hostIds: number[]
}

/** A saved query, as the live-query feature needs it (from the queries feature). */
export interface SavedQuery {
  id: number
  name: string
  query: string
  teamId: number | null
  observerCanRun: boolean
}

/** Where saved queries come from; injected so this feature doesn't import the queries feature. */
export interface SavedQuerySource {
  find(id: number): Promise<SavedQuery | undefined>
}

/** What the targeting and status messages need about a target host. */
export interface TargetHost {
  id: number
  hostname: string
  displayName: string
  seenTime: number
  distributedInterval: number
  configTlsRefresh: number
  createdAt: number
}

/** One host's answer, as published on the campaign's results channel. */
export interface HostAnswer {
  hostId: number
  hostname: string
  rows: ResultRow[]
  error: string | null
}

/** Roles that may run a query live: any query, or only one marked `observer_can_run`. */
export function liveQueryRoles(observerCanRun: boolean): readonly Role[] {
  return observerCanRun
    ? ['admin', 'maintainer', 'observer', 'observer_plus']
    : ['admin', 'maintainer', 'observer_plus']
}

/**
 * The teams whose hosts the subject may target (Fleet's team filter): every host for global roles
 * that may run the query, else the hosts of the teams where the user's role may run it.
 */
export function targetableTeams(subject: Subject, observerCanRun: boolean): 'all' | number[] {
  const roles = liveQueryRoles(observerCanRun)
  if (subject.globalRole !== null) {
    return roles.includes(subject.globalRole) ? 'all' : []
  }
  return [...subject.teamRoles].filter(([, role]) => roles.includes(role)).map(([id]) => id)
}

/**
 * Host ids as compact text (ascending, delta-encoded, base 36, comma-separated): a campaign on
 * 10,000 consecutive hosts takes ~20 KB in its row and in the pub/sub message that announces it.
 */
export function encodeHostIds(ids: readonly number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b)
  let previous = 0
  return sorted
    .map((id) => {
      const delta = id - previous
      previous = id
      return delta.toString(36)
    })
    .join(',')
}

export function decodeHostIds(text: string): number[] {
  if (text === '') {
    return []
  }
  let current = 0
  return text.split(',').map((part) => {
    current += parseInt(part, 36)
    return current
  })
}

/** At most MAX_LIVE_QUERY_ROWS_PER_HOST rows; null rows dropped (osquery may send them). */
export function keptRows(rows: readonly ResultRow[]): { rows: ResultRow[]; truncated: boolean } {
  const kept = rows.filter((row): row is ResultRow => typeof row === 'object' && row !== null)
  return {
    rows: kept.slice(0, MAX_LIVE_QUERY_ROWS_PER_HOST),
    truncated: kept.length > MAX_LIVE_QUERY_ROWS_PER_HOST,
  }
}

/** Counts of the targets by status: Fleet's campaign `Metrics`. */
export function targetMetrics(hosts: readonly TargetHost[], now: number): TargetMetrics {
  const metrics: TargetMetrics = {
    TotalHosts: hosts.length,
    OnlineHosts: 0,
    OfflineHosts: 0,
    MissingInActionHosts: 0,
    NewHosts: 0,
  }
  for (const host of hosts) {
    if (hostStatus(host, now) === 'online') {
      metrics.OnlineHosts++
    } else {
      metrics.OfflineHosts++ // missing hosts included, as in Fleet 4.15 on
    }
    if (isMissing(host, now)) {
      metrics.MissingInActionHosts++
    }
    if (now - host.createdAt < NEW_WITHIN_MS) {
      metrics.NewHosts++
    }
  }
  return metrics
}

/** The websocket's `totals` message from the metrics. */
export function totalsOf(metrics: TargetMetrics): CampaignTotals {
  return {
    count: metrics.TotalHosts,
    online: metrics.OnlineHosts,
    offline: metrics.OfflineHosts,
    missing_in_action: metrics.MissingInActionHosts,
  }
}
