/** fleetd's own version (orbit_info / fleet_desktop), and the osquery version its engine reports. */
export const AGENT_VERSION = '1.40.0'
/** The osquery release whose tables and wire behaviour the engine follows. */
export const OSQUERY_COMPAT_VERSION = '5.14.1'
