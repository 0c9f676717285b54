import { QUERY_PREFIX, type DistributedWriteRequest, type ResultRow } from '@fleet/api'
import type { AgentHost } from './agent-host.js'
import type { AgentQueryProvider } from './agent-query-provider.js'
import { askFor, detailsDue, type Ask } from './checkin-due.js'
import type { CheckinContext } from './checkin-context.js'
import { failed, ingestDetails, rowsOf } from './detail-ingest.js'
import type { RefreshRow } from './refresh-times.store.js'

/** One write being ingested: the host, the body, and the names refused so far. */
interface Write {
  host: AgentHost
  body: DistributedWriteRequest
  names: readonly string[]
  now: number
  ignored: string[]
}

/**
 * Whether an answer is taken: the query was handed out by this instance, or it is due by the
 * same rule distributed read uses (another instance behind the load balancer may have asked).
 */
function expected(ctx: CheckinContext, write: Write, name: string, due: () => boolean): boolean {
  const ok = ctx.pending.has(write.host.id, name) || due()
  if (!ok) {
    write.ignored.push(name)
  }
  return ok
}

/** Hands a provider the answers to its queries; returns its new refresh times, if it has a schedule. */
async function answerProvider(
  ctx: CheckinContext,
  provider: AgentQueryProvider,
  ask: Ask,
  write: Write,
): Promise<RefreshRow | undefined> {
  const { host, body, now } = write
  const due = ask.full ? undefined : await provider.queries(host, ask)
  const results = new Map<string, ResultRow[] | null>()
  const messages = new Map<string, string>()
  for (const name of write.names) {
    if (!name.startsWith(provider.prefix)) {
      continue
    }
    const suffix = name.slice(provider.prefix.length)
    if (!expected(ctx, write, name, () => ask.full || due?.has(suffix) === true)) {
      continue
    }
    const isFailed = failed(body.statuses, name)
    results.set(suffix, isFailed ? null : rowsOf(body.queries[name]))
    const message = body.messages?.[name]
    if (isFailed && typeof message === 'string' && message !== '') {
      messages.set(suffix, message.slice(0, 4096))
    }
  }
  if (results.size === 0) {
    return undefined
  }
  await provider.ingest(host, results, now, messages)
  return provider.schedule === null
    ? undefined
    : ctx.refresh.answered(host.id, provider.schedule.name, now, ask.full)
}

/**
 * `distributed/write`: ingests results. Detail results are taken while detail queries are
 * outstanding for the host; each provider gets the answers to its own queries. Anything else is
 * ignored with a log line. Only a write that changed the host makes other instances drop their
 * cached copy; new refresh times are published to them.
 */
export async function distributedWrite(
  ctx: CheckinContext,
  host: AgentHost,
  body: DistributedWriteRequest,
  ip: string,
): Promise<void> {
  const now = ctx.deps.clock.now().getTime()
  ctx.seen.record(host.id, now)
  const names = Object.keys(body.queries)
  const write: Write = { host, body, names, now, ignored: [] }
  // Decided before details are ingested (which clear a refetch request): what the host was asked.
  const jitter = ctx.deps.config.osquery.max_jitter_percent
  const asks = ctx.providers.map((p) => [p, askFor(p, host, ctx.refresh, now, jitter)] as const)
  const detailNames = names.filter(
    (name) =>
      name.startsWith(QUERY_PREFIX.detail) &&
      expected(ctx, write, name, () => detailsDue(host, now, ctx.deps.config.osquery)),
  )
  if (detailNames.length > 0) {
    await ingestDetails(ctx, host, detailNames, body, now, ip)
  }
  const answered: RefreshRow[] = []
  for (const [provider, ask] of asks) {
    const row = await answerProvider(ctx, provider, ask, write)
    if (row) {
      answered.push(row)
    }
  }
  logUnexpected(ctx, write)
  ctx.pending.answered(host.id, names)
  if (detailNames.length > 0) {
    await ctx.hosts.publishChanged([host.id])
  }
  await ctx.refresh.publish(answered)
}

function logUnexpected(ctx: CheckinContext, write: Write): void {
  const unknown = write.names.filter(
    (name) =>
      !name.startsWith(QUERY_PREFIX.detail) &&
      !ctx.providers.some((p) => name.startsWith(p.prefix)),
  )
  const key = `unexpected:${[...write.ignored, ...unknown].sort().join('\n')}`
  if ((write.ignored.length > 0 || unknown.length > 0) && ctx.notices.allow(key, write.now)) {
    ctx.deps.log.info(
      { hostId: write.host.id, ignored: write.ignored.slice(0, 10), unknown: unknown.slice(0, 10) },
      'ignoring results of queries that were not asked for',
    )
  }
}
