export type { CallInput } from './call.js'
export { FleetClient, type FleetClientOptions } from './fleet-client.js'
export {
  FleetApiError,
  FleetConnectionError,
  FleetResponseError,
  codeForStatus,
  type ConnectionFailure,
} from './errors.js'
export { encodeQuery, fillPath, requestPath } from './url.js'
