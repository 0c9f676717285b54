export {
  createHostAgentService,
  type AgentQueryProvider,
  type AgentSources,
  type HostAgentService,
  type RefreshSchedule,
} from './agent.service.js'
export type { AgentHost } from './agent-host.js'
export { LABEL_REFRESH, POLICY_REFRESH } from './refresh-times.store.js'
export { isLinux, type Host } from './host.js'
export { searchHosts } from './host-search.js'
export { displayName, hostStatus, isMissing, NEW_WITHIN_MS } from './host.js'
export {
  HOST_LABEL_SOURCES,
  HOST_DELETION,
  HOST_POLICY_SOURCES,
  hostsModule,
  INVALIDATE_AGENT_HOSTS,
} from './hosts.module.js'
export type { HostLabelSources, HostPolicySources } from './host-json.js'
export {
  issuesOf,
  presentDetailFields,
  presentHost,
  presentHostLabel,
  presentHosts,
} from './host-json.js'
export { createOrbitAgentService, type OrbitAgentService } from './orbit-agent.service.js'
export {
  createDeviceService,
  type DeviceHost,
  type DeviceService,
  type DeviceSettings,
  type DeviceSources,
} from './orbit-device.service.js'
export type { HostLabel, OrbitHost } from './orbit-host.js'
export { AGENT_HOSTS_CHANGED, AGENT_REFRESH_TIMES } from './hosts.channels.js'
export { hostRules } from './hosts.rules.js'
export { findHostByIdentifier } from './hosts.store.js'
export {
  applePlatform,
  findOrCreateMdmHost,
  hostIdsBySerial,
  insertDepHosts,
  type DepHostFacts,
  type MdmDeviceFacts,
} from './mdm-hosts.store.js'
export { mdmServerUrl } from './host-mdm.js'
