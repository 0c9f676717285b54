export {
  AgentAuthError,
  createHostAgentService,
  type AgentQueryProvider,
  type AgentSources,
  type HostAgentService,
} from './agent.service.js'
export type { AgentHost } from './agent-host.js'
export { isLinux, type Host } from './host.js'
export { registerHostRoutes } from './hosts.routes.js'
