import { QUERY_PREFIX, type ResultRow } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { InvalidatedCache, type Subscription } from '../../platform/pubsub/index.js'
import { isLinux, POLICY_REFRESH, type AgentHost, type AgentQueryProvider } from '../hosts/index.js'
import { TEAMS_CHANGED } from '../teams/index.js'
import { POLICIES_CHANGED } from './policies.channels.js'
import * as store from './policies.store.js'
import {
  flips,
  policyAppliesTo,
  webhookCovers,
  type PolicyQuery,
  type PolicyResult,
} from './policy.js'
import * as membership from './policy-membership.store.js'
import * as queue from './policy-webhook.store.js'
import type { WebhookSettingsSource } from './webhook-settings.js'

export type PolicyQueryProvider = AgentQueryProvider & {
  /** What drops the in-memory policies (a policy or team change); the policies module subscribes it. */
  subscriptions: readonly Subscription[]
  reload(): Promise<void>
}

/** Policies by team (the `null` key holds the global ones). */
type ByTeam = Map<number | null, PolicyQuery[]>

function groupByTeam(policies: readonly PolicyQuery[]): ByTeam {
  const byTeam: ByTeam = new Map()
  for (const policy of policies) {
    const list = byTeam.get(policy.teamId) ?? []
    list.push(policy)
    byTeam.set(policy.teamId, list)
  }
  return byTeam
}

/**
 * Policies on the check-in path: every policy's query is kept in memory, grouped by team, and
 * reloaded when any instance publishes a change. A host is asked the global policies and its
 * team's, for its platform, as `fleet_policy_query_<id>`: all of them when its policy refresh is
 * due (`osquery.policy_update_interval`, or a refetch), else only those changed since its last
 * refresh. Results of policies that don't apply to the host are ignored. A result that newly
 * fails a policy with a webhook automation queues the host for the webhook job.
 */
export function createPolicyQueryProvider(
  deps: Pick<Deps, 'db' | 'config' | 'log'>,
  webhooks: WebhookSettingsSource,
): PolicyQueryProvider {
  // A deleted team takes its policies with it.
  const cached = new InvalidatedCache(
    async () => groupByTeam(await store.allPolicyQueries(deps.db)),
    [POLICIES_CHANGED, TEAMS_CHANGED],
  )
  const current = () => cached.get()

  async function applicable(host: AgentHost): Promise<PolicyQuery[]> {
    const byTeam = await current()
    const candidates = [
      ...(byTeam.get(null) ?? []),
      ...(host.teamId === null ? [] : (byTeam.get(host.teamId) ?? [])),
    ]
    return candidates.filter((p) => policyAppliesTo(p.platform, host.platform, isLinux))
  }

  /** Results by policy id: ≥1 row passes, 0 rows fails, an error is null; others are ignored. */
  function resultsFor(
    host: AgentHost,
    policies: ReadonlyMap<number, PolicyQuery>,
    results: ReadonlyMap<string, ResultRow[] | null>,
  ): Map<number, PolicyResult> {
    const incoming = new Map<number, PolicyResult>()
    const ignored: string[] = []
    for (const [suffix, rows] of results) {
      const id = Number(suffix)
      if (!policies.has(id)) {
        ignored.push(suffix)
        continue
      }
      incoming.set(id, rows === null ? null : rows.length > 0)
    }
    if (ignored.length > 0) {
      deps.log.info(
        { hostId: host.id, policies: ignored.slice(0, 10) },
        'ignoring results of policies that do not apply to the host',
      )
    }
    return incoming
  }

  /** Of the failing results, the policies whose webhook automation is on. */
  async function automated(
    policies: ReadonlyMap<number, PolicyQuery>,
    incoming: ReadonlyMap<number, PolicyResult>,
  ): Promise<Set<number>> {
    const failing = [...incoming].filter(([, r]) => r === false).map(([id]) => id)
    const result = new Set<number>()
    if (failing.length === 0) {
      return result
    }
    const scopes = new Set(failing.map((id) => policies.get(id)?.teamId ?? null))
    const hooks = new Map(
      await Promise.all([...scopes].map(async (s) => [s, await webhooks.webhookFor(s)] as const)),
    )
    for (const id of failing) {
      if (webhookCovers(hooks.get(policies.get(id)?.teamId ?? null), id)) {
        result.add(id)
      }
    }
    return result
  }

  return {
    prefix: QUERY_PREFIX.policy,
    schedule: { name: POLICY_REFRESH, intervalMs: deps.config.osquery.policy_update_interval },
    subscriptions: cached.subscriptions,
    async reload() {
      cached.clear()
      await current()
    },
    async queries(host, { full, since }) {
      const due = new Map<string, { sql: string }>()
      for (const policy of await applicable(host)) {
        if (full || policy.updatedAt > since) {
          due.set(String(policy.id), { sql: policy.query })
        }
      }
      return due
    },
    async ingest(host, results: ReadonlyMap<string, ResultRow[] | null>, now) {
      const policies = new Map((await applicable(host)).map((p) => [p.id, p]))
      const incoming = resultsFor(host, policies, results)
      if (incoming.size === 0) {
        return
      }
      // Read before the transaction: SQLite has one connection, which the transaction holds.
      const withWebhook = await automated(policies, incoming)
      await deps.db.transaction().execute(async (trx) => {
        // The in-memory copy may still hold a policy deleted a moment ago.
        const existing = await store.existingPolicyIds(trx, [...incoming.keys()])
        for (const id of [...incoming.keys()].filter((p) => !existing.has(p))) {
          incoming.delete(id)
        }
        const previous = await membership.hostResults(trx, host.id, [...incoming.keys()])
        await membership.recordResults(trx, host.id, incoming, now)
        const { newlyFailing, newlyPassing } = flips(previous, incoming)
        await queue.dequeueHost(trx, host.id, newlyPassing)
        for (const id of newlyFailing.filter((p) => withWebhook.has(p))) {
          await queue.enqueueHosts(trx, id, [host.id], now)
        }
      })
    },
  }
}
