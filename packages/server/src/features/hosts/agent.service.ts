import type { DistributedWriteRequest, OsqueryEnrollRequest } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { LogLimiter } from '../../platform/log-limiter.js'
import { authenticate } from './agent-auth.js'
import { enroll } from './agent-enroll.js'
import type { AgentHost } from './agent-host.js'
import { AgentHostCache } from './agent-host-cache.js'
import type { AgentQueryProvider } from './agent-query-provider.js'
import type { AgentSources } from './agent-sources.js'
import type { CheckinContext } from './checkin-context.js'
import { ConfigCache } from './config-cache.js'
import { distributedRead } from './distributed-read.js'
import { distributedWrite } from './distributed-write.js'
import { osqueryConfig } from './osquery-config.js'
import * as store from './hosts.store.js'
import { PendingQueries } from './pending-queries.js'
import { RefreshTimes } from './refresh-times.js'
import * as refreshStore from './refresh-times.store.js'
import { SeenTimeBuffer } from './seen-time-buffer.js'

export type { AgentQueryProvider, RefreshSchedule } from './agent-query-provider.js'
export type { AgentSources } from './agent-sources.js'

export type HostAgentService = ReturnType<typeof createHostAgentService>

/**
 * The osquery check-in pipeline: enrollment, node-key authentication, config, and distributed
 * read/write, over the question providers given (labels, policies, live queries…). An empty
 * check-in (the 99% case) touches memory only. See README.md in this folder.
 */
export function createHostAgentService(
  deps: Deps,
  sources: AgentSources,
  providers: readonly AgentQueryProvider[] = [],
) {
  const ctx: CheckinContext = {
    deps,
    sources,
    providers,
    hosts: new AgentHostCache(deps.pubsub, deps.log),
    seen: new SeenTimeBuffer((batch) => store.updateSeenTimes(deps.db, batch), deps.log),
    refresh: new RefreshTimes(
      deps.pubsub,
      {
        load: () => refreshStore.allRefreshTimes(deps.db),
        write: (rows) => refreshStore.writeRefreshTimes(deps.db, rows),
      },
      deps.log,
    ),
    pending: new PendingQueries(),
    configs: new ConfigCache(sources),
    notices: new LogLimiter(60 * 60 * 1000),
  }
  const flushEvery = deps.config.osquery.seen_time_flush_interval

  return {
    async start(): Promise<void> {
      await ctx.hosts.start()
      await ctx.refresh.start(flushEvery)
      ctx.seen.start(flushEvery)
    },
    async stop(): Promise<void> {
      await ctx.seen.stop()
      await ctx.refresh.stop()
      await ctx.hosts.stop()
    },
    authenticate: (nodeKey: string) => authenticate(ctx, nodeKey),
    enroll: (input: OsqueryEnrollRequest, ip: string) => enroll(ctx, input, ip),
    config: (host: AgentHost) => osqueryConfig(ctx, host),
    distributedRead: (host: AgentHost) => distributedRead(ctx, host),
    distributedWrite: (host: AgentHost, body: DistributedWriteRequest, ip: string) =>
      distributedWrite(ctx, host, body, ip),
    /** Records a log submission's check-in. Where logs go is configured by the logging feature. */
    recordLogCheckIn: (host: AgentHost) => ctx.seen.record(host.id, deps.clock.now().getTime()),
    cache: ctx.hosts,
    seen: ctx.seen,
    refresh: ctx.refresh,
  }
}
