import type { ResultRow } from '@fleet/api'
import { float, int, text } from './agent-values.js'
import { isLinux, type HostUser, type HostVitals } from './host.js'
import type { OrbitInfo } from './orbit-host.js'

/** What ingesting one detail query yields: vitals for the hosts row, its users, or its orbit. */
export interface DetailResult {
  vitals?: HostVitals
  users?: HostUser[]
  orbit?: OrbitInfo
}

/** A host-vitals query: its SQL (per platform), optional discovery, and how to read its rows. */
export interface DetailQuery {
  name: string
  /** The SQL for a platform, or undefined if the query doesn't apply there. */
  sql(platform: string): string | undefined
  /** A discovery query: osquery runs `sql` only if this returns a row. Default `SELECT 1`. */
  discovery?: string
  ingest(
    rows: readonly ResultRow[],
    context: { now: number; previous: { lastRestartedAt: number } },
  ): DetailResult
}

/** Ingests a one-row query: the vitals read from its first row, or nothing when it returned none. */
const fromFirstRow =
  (read: (row: ResultRow) => HostVitals) =>
  (rows: readonly ResultRow[]): DetailResult => {
    const row = rows[0]
    return row ? { vitals: read(row) } : {}
  }

const tablePresent = (table: string) =>
  `SELECT 1 FROM osquery_registry WHERE active = true AND registry = 'table' AND name = '${table}'`

const forAll = (sql: string) => () => sql
const forUnix = (sql: string) => (platform: string) =>
  isLinux(platform) || platform === 'darwin' ? sql : undefined
const forLinux = (sql: string) => (platform: string) => (isLinux(platform) ? sql : undefined)
const forPlatform = (only: string, sql: string) => (platform: string) =>
  platform === only ? sql : undefined

/** "Ubuntu 22.04.3 LTS" from os_version's name and version (codename in parentheses dropped). */
export function osVersionText(row: ResultRow): string {
  const name = text(row.name)
  const version = text(row.version).replace(/\s*\([^)]*\)\s*$/, '')
  if (!version) {
    const numbers = [row.major, row.minor, row.patch].map((v) => text(v)).filter((v) => v !== '')
    return [name, numbers.join('.')].filter(Boolean).join(' ')
  }
  return version.startsWith(name) ? version : `${name} ${version}`.trim()
}

const PRIVATE_ADDRESS = `(
    (inet_aton(ia.address) IS NOT NULL AND (
      split(ia.address, '.', 0) = '10'
      OR (split(ia.address, '.', 0) = '172' AND (CAST(split(ia.address, '.', 1) AS INTEGER) & 240) = 16)
      OR (split(ia.address, '.', 0) = '192' AND split(ia.address, '.', 1) = '168')))
    OR (inet_aton(ia.address) IS NULL AND regex_match(lower(ia.address), '^f[cd][0-9a-f][0-9a-f]:', 0) IS NOT NULL))`

function networkQuery(routeJoin: string, routeType: string): string {
  return `SELECT ia.address, id.mac
FROM interface_addresses ia
JOIN interface_details id ON id.interface = ia.interface
JOIN routes r ON ${routeJoin}
WHERE (r.destination = '0.0.0.0' OR r.destination = '::') AND r.netmask = 0 AND r.type = '${routeType}'
  AND ${PRIVATE_ADDRESS}
ORDER BY r.metric ASC, inet_aton(ia.address) IS NOT NULL DESC
LIMIT 1`
}

const ingestNetwork = fromFirstRow((row) => ({
  primaryIp: text(row.address, 64),
  primaryMac: text(row.mac, 64),
}))

const ingestDiskSpace = fromFirstRow((row) => ({
  percentDiskSpaceAvailable: float(row.percent_disk_space_available),
  gigsDiskSpaceAvailable: float(row.gigs_disk_space_available),
  gigsTotalDiskSpace: float(row.gigs_total_disk_space),
}))

/**
 * Fleet's orbit_info: the orbit (fleetd) version, Fleet Desktop's and whether scripts run. A
 * column an older orbit lacks is null ("unknown"), as Fleet stores it.
 */
function ingestOrbitInfo(rows: readonly ResultRow[]): DetailResult {
  const row = rows[0]
  if (!row || rows.length !== 1) {
    return {}
  }
  return {
    orbit: {
      version: text(row.version, 64),
      desktopVersion: row.desktop_version === undefined ? null : text(row.desktop_version, 64),
      scriptsEnabled: row.scripts_enabled === undefined ? null : text(row.scripts_enabled) === '1',
    },
  }
}

const USER_FILTER = `u.shell NOT LIKE '%/false' AND u.shell NOT LIKE '%/nologin'
  AND u.shell NOT LIKE '%/shutdown' AND u.shell NOT LIKE '%/halt'
  AND u.username NOT LIKE '%$' AND u.username NOT LIKE '\\_%' ESCAPE '\\'
  AND NOT (u.username = 'sync' AND u.shell = '/bin/sync' AND u.directory <> '')`

/** Every detail query we send, in Fleet's names. */
export const DETAIL_QUERIES: readonly DetailQuery[] = [
  {
    name: 'os_version',
    sql: forAll('SELECT * FROM os_version LIMIT 1'),
    ingest: fromFirstRow((row) => ({
      platform: text(row.platform, 64),
      platformLike: text(row.platform_like, 64),
      codeName: text(row.codename, 64),
      build: text(row.build, 64),
      osVersion: osVersionText(row),
    })),
  },
  {
    name: 'os_version_windows',
    sql: forPlatform(
      'windows',
      `SELECT os.name, os.version, COALESCE(dv.data, '') AS display_version, COALESCE(ubr.data, '') AS ubr
FROM os_version os
LEFT JOIN registry dv ON dv.path = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\DisplayVersion'
LEFT JOIN registry ubr ON ubr.path = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\UBR'
LIMIT 1`,
    ),
    ingest: fromFirstRow((row) => {
      const version = text(row.ubr) ? `${text(row.version)}.${text(row.ubr)}` : text(row.version)
      return {
        osVersion: [text(row.name), text(row.display_version), version]
          .filter(Boolean)
          .join(' ')
          .slice(0, 255),
      }
    }),
  },
  {
    name: 'osquery_info',
    sql: forAll('SELECT * FROM osquery_info LIMIT 1'),
    ingest: fromFirstRow((row) => ({ osqueryVersion: text(row.version, 64) })),
  },
  {
    name: 'system_info',
    sql: forAll('SELECT * FROM system_info LIMIT 1'),
    ingest: fromFirstRow((row) => ({
      hostname: text(row.hostname),
      computerName: text(row.computer_name),
      uuid: text(row.uuid),
      memory: int(row.physical_memory),
      cpuType: text(row.cpu_type),
      cpuSubtype: text(row.cpu_subtype),
      cpuBrand: text(row.cpu_brand),
      cpuPhysicalCores: int(row.cpu_physical_cores),
      cpuLogicalCores: int(row.cpu_logical_cores),
      hardwareVendor: text(row.hardware_vendor),
      hardwareModel: text(row.hardware_model),
      hardwareVersion: text(row.hardware_version),
      hardwareSerial: text(row.hardware_serial),
    })),
  },
  {
    name: 'uptime',
    sql: forAll('SELECT * FROM uptime LIMIT 1'),
    ingest: (rows, { now, previous }) => {
      const row = rows[0]
      if (!row) {
        return {}
      }
      const seconds = int(row.total_seconds)
      const restartedAt = now - seconds * 1000
      // Uptime drifts by the time between check-ins; only a real reboot moves last_restarted_at.
      const moved = Math.abs(restartedAt - previous.lastRestartedAt) > 30_000
      return { vitals: { uptimeSeconds: seconds, ...(moved && { lastRestartedAt: restartedAt }) } }
    },
  },
  {
    name: 'osquery_flags',
    sql: (platform) =>
      isLinux(platform) || platform === 'darwin' || platform === 'windows'
        ? `SELECT name, value FROM osquery_flags WHERE name IN ('distributed_interval', 'config_tls_refresh', 'config_refresh', 'logger_tls_period')`
        : undefined,
    ingest: (rows) => {
      const flags = new Map(rows.map((row) => [text(row.name), int(row.value)]))
      const vitals: HostVitals = {}
      if (flags.has('distributed_interval')) {
        vitals.distributedInterval = flags.get('distributed_interval') ?? 0
      }
      const refresh = flags.get('config_tls_refresh') || flags.get('config_refresh')
      if (refresh !== undefined) {
        vitals.configTlsRefresh = refresh
      }
      if (flags.has('logger_tls_period')) {
        vitals.loggerTlsPeriod = flags.get('logger_tls_period') ?? 0
      }
      return { vitals }
    },
  },
  {
    name: 'network_interface_unix',
    sql: forUnix(networkQuery('r.interface = ia.interface', 'gateway')),
    ingest: ingestNetwork,
  },
  {
    name: 'network_interface_windows',
    sql: forPlatform('windows', networkQuery('r.interface = ia.address', 'remote')),
    ingest: ingestNetwork,
  },
  {
    name: 'disk_space_unix',
    sql: forLinux(`SELECT (blocks_available * 100.0 / blocks) AS percent_disk_space_available,
  round((blocks_available * blocks_size * 1e-9), 2) AS gigs_disk_space_available,
  round((blocks * blocks_size * 1e-9), 2) AS gigs_total_disk_space
FROM mounts WHERE path = '/' LIMIT 1`),
    ingest: ingestDiskSpace,
  },
  {
    name: 'disk_space_darwin',
    sql: forPlatform(
      'darwin',
      `SELECT round(bytes_available * 100.0 / bytes_total, 2) AS percent_disk_space_available,
  round(bytes_available * 1e-9, 2) AS gigs_disk_space_available,
  round(bytes_total * 1e-9, 2) AS gigs_total_disk_space
FROM disk_space LIMIT 1`,
    ),
    discovery: tablePresent('disk_space'),
    ingest: ingestDiskSpace,
  },
  {
    name: 'disk_space_windows',
    sql: forPlatform(
      'windows',
      `SELECT round(sum(free_space) * 100.0 / sum(size), 0) AS percent_disk_space_available,
  round(sum(free_space) * 1e-9, 0) AS gigs_disk_space_available,
  round(sum(size) * 1e-9, 0) AS gigs_total_disk_space
FROM logical_drives WHERE file_system = 'NTFS'`,
    ),
    ingest: ingestDiskSpace,
  },
  {
    name: 'os_unix_like',
    sql: forUnix(`SELECT os.name, os.major, os.minor, os.patch, os.extra, os.build, os.arch, os.platform, os.version,
  k.version AS kernel_version
FROM os_version os CROSS JOIN kernel_info k LIMIT 1`),
    ingest: fromFirstRow((row) => ({ kernelVersion: text(row.kernel_version) })),
  },
  {
    name: 'orbit_info',
    sql: (platform) =>
      isLinux(platform) || platform === 'darwin' || platform === 'windows'
        ? 'SELECT * FROM orbit_info'
        : undefined,
    discovery: tablePresent('orbit_info'),
    ingest: ingestOrbitInfo,
  },
  {
    name: 'users',
    sql: (platform) => {
      if (platform === 'windows') {
        return `WITH cached_groups AS (SELECT * FROM groups)
SELECT u.uid, u.username, u.type, g.groupname, u.shell
FROM users u LEFT JOIN cached_groups g ON g.gid = u.gid
WHERE u.type <> 'special' AND ${USER_FILTER}`
      }
      return isLinux(platform) || platform === 'darwin'
        ? `WITH cached_groups AS (SELECT * FROM groups)
SELECT u.uid, u.username, '' AS type, g.groupname, u.shell
FROM users u LEFT JOIN cached_groups g ON g.gid = u.gid
WHERE ${USER_FILTER}`
        : undefined
    },
    ingest: (rows) => {
      const users = new Map<string, HostUser>()
      for (const row of rows.slice(0, 10_000)) {
        const user = {
          uid: int(row.uid, -1),
          username: text(row.username),
          type: text(row.type, 64),
          groupname: text(row.groupname),
          shell: text(row.shell),
        }
        if (user.username && user.uid >= 0) {
          users.set(`${user.uid}/${user.username}`, user)
        }
      }
      return { users: [...users.values()] }
    },
  },
]

const BY_NAME = new Map(DETAIL_QUERIES.map((q) => [q.name, q]))

export function detailQuery(name: string): DetailQuery | undefined {
  return BY_NAME.get(name)
}
