/** fleetctl's version, printed by `fleetctl --version` and sent in the User-Agent. */
export const VERSION = '0.1.0'
