import type { AgentHost } from './agent-host.js'
import type { CheckinContext } from './checkin-context.js'
import * as store from './hosts.store.js'

/** `/config`: the osquery config for a host; remembers the intervals it sets (they decide online status). */
export async function osqueryConfig(
  ctx: CheckinContext,
  host: AgentHost,
): Promise<Record<string, unknown>> {
  ctx.seen.record(host.id, ctx.deps.clock.now().getTime())
  const { config, intervals } = await ctx.configs.configFor(host)
  const next = {
    distributedInterval: intervals.distributedInterval ?? host.distributedInterval,
    configTlsRefresh: intervals.configTlsRefresh ?? host.configTlsRefresh,
    loggerTlsPeriod: intervals.loggerTlsPeriod ?? host.loggerTlsPeriod,
  }
  if (
    next.distributedInterval !== host.distributedInterval ||
    next.configTlsRefresh !== host.configTlsRefresh ||
    next.loggerTlsPeriod !== host.loggerTlsPeriod
  ) {
    await store.setIntervals(ctx.deps.db, host.id, next)
    Object.assign(host, next)
    await ctx.hosts.publishChanged([host.id])
  }
  return config
}
