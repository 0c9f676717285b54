/**
 * The REST API's prefix in its newest version. Fleet serves every REST endpoint under both
 * `/api/latest/fleet` and `/api/v1/fleet` (`endpointPaths` in `@fleet/api`); tests call this one
 * unless they test the other.
 */
export const FLEET_API = '/api/latest/fleet'

/** The REST API's versioned prefix, which answers exactly as `FLEET_API` does. */
export const FLEET_API_V1 = '/api/v1/fleet'
