import { AuthRequiredError } from '../../platform/errors/index.js'
import { hashToken } from '../../platform/ids.js'
import { toAgentHost, type AgentHost } from './agent-host.js'
import type { CheckinContext } from './checkin-context.js'
import * as store from './hosts.store.js'

/**
 * Who a node key is: from the in-memory cache (no SQL, the usual case), else from the database,
 * then cached. An unknown or missing key is refused; osquery then enrolls again.
 */
export async function authenticate(
  ctx: Pick<CheckinContext, 'deps' | 'hosts'>,
  nodeKey: string,
): Promise<AgentHost> {
  if (!nodeKey) {
    throw new AuthRequiredError('authentication error: missing node key')
  }
  const cached = ctx.hosts.get(nodeKey)
  if (cached) {
    return cached
  }
  const hash = hashToken(nodeKey)
  const host = await store.findHostByNodeKeyHash(ctx.deps.db, hash)
  if (!host) {
    throw new AuthRequiredError('authentication error: invalid node key')
  }
  const agentHost = toAgentHost(host)
  ctx.hosts.set(hash, agentHost)
  return agentHost
}
