import { QUERY_PREFIX, type DistributedReadResponse } from '@fleet/api'
import type { AgentHost } from './agent-host.js'
import { askFor, detailsDue } from './checkin-due.js'
import type { CheckinContext } from './checkin-context.js'
import { DETAIL_QUERIES } from './detail-queries.js'

const ALWAYS = 'SELECT 1'

/** The detail queries for a host's platform, by full query name. */
async function detailQueries(
  ctx: CheckinContext,
  host: AgentHost,
): Promise<Map<string, { sql: string; discovery?: string }>> {
  const { enableHostUsers } = await ctx.sources.settings()
  const queries = new Map<string, { sql: string; discovery?: string }>()
  for (const query of DETAIL_QUERIES) {
    const sql = query.sql(host.platform || 'linux')
    if (sql === undefined || (query.name === 'users' && !enableHostUsers)) {
      continue
    }
    queries.set(`${QUERY_PREFIX.detail}${query.name}`, { sql, discovery: query.discovery })
  }
  return queries
}

/**
 * `distributed/read`: what the host must run now — detail queries when due, and what each
 * provider asks. Usually nothing, and then no SQL and no pub/sub at all.
 */
export async function distributedRead(
  ctx: CheckinContext,
  host: AgentHost,
): Promise<DistributedReadResponse> {
  const now = ctx.deps.clock.now().getTime()
  const osquery = ctx.deps.config.osquery
  ctx.seen.record(host.id, now)
  const queries: Record<string, string> = {}
  const discovery: Record<string, string> = {}
  const add = (name: string, query: { sql: string; discovery?: string }) => {
    queries[name] = query.sql
    discovery[name] = query.discovery ?? ALWAYS
  }
  if (detailsDue(host, now, osquery)) {
    for (const [name, query] of await detailQueries(ctx, host)) {
      add(name, query)
    }
  }
  for (const provider of ctx.providers) {
    const ask = askFor(provider, host, ctx.refresh, now, osquery.max_jitter_percent)
    for (const [suffix, query] of await provider.queries(host, ask)) {
      add(`${provider.prefix}${suffix}`, query)
    }
  }
  ctx.pending.add(host.id, Object.keys(queries))
  const response: DistributedReadResponse = { queries, discovery }
  if (!host.hostname || !host.platform) {
    response.accelerate = 10
  }
  return response
}
