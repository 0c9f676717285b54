import { InvalidArgumentError } from '../../platform/errors/index.js'

/**
 * The GetToken check-in (reference §1.3): a device asks for a token of `TokenServiceType`.
 * This server answers none, with a 400 that says why (Apple: a server that does not recognize
 * the service type answers 400). It also does not advertise `com.apple.mdm.token` in the
 * enrollment profile's ServerCapabilities, so devices should not ask.
 * - `com.apple.maid`: the token is a JWT whose issuer is the Apple Business Manager server
 *   identity (`server_uuid` from AccountDetail); without an ABM account there is none to issue.
 * - `com.apple.watch.pairing`: needs the paired iPhone's security token and Apple's watch
 *   enrollment flow, which this server does not implement.
 */
const KNOWN_SERVICES: Readonly<Record<string, string>> = {
  'com.apple.maid':
    'GetToken com.apple.maid is not supported: the token is a JWT issued under the Apple Business Manager server identity (server_uuid), which this server does not have',
  'com.apple.watch.pairing':
    'GetToken com.apple.watch.pairing is not supported: this server does not pair watches',
}

/** The 400 for a GetToken of `serviceType` (a known service with its reason, or unrecognized). */
export function getTokenRefusal(serviceType: string): InvalidArgumentError {
  const reason =
    KNOWN_SERVICES[serviceType] ?? `unrecognized TokenServiceType "${serviceType.slice(0, 64)}"`
  return InvalidArgumentError.field('TokenServiceType', reason)
}

/** Whether Apple defines `serviceType` (for the log line: known but unsupported vs unknown). */
export function isKnownTokenService(serviceType: string): boolean {
  return Object.hasOwn(KNOWN_SERVICES, serviceType)
}
