/** A host as services see it (camelCase mirror of the hosts row, without the node key). */
export interface Host {
  id: number
  createdAt: number
  updatedAt: number
  teamId: number | null
  osqueryHostId: string
  uuid: string
  hostname: string
  computerName: string
  platform: string
  platformLike: string
  osVersion: string
  build: string
  codeName: string
  osqueryVersion: string
  kernelVersion: string
  uptimeSeconds: number
  memory: number
  cpuType: string
  cpuSubtype: string
  cpuBrand: string
  cpuPhysicalCores: number
  cpuLogicalCores: number
  hardwareVendor: string
  hardwareModel: string
  hardwareVersion: string
  hardwareSerial: string
  primaryIp: string
  primaryMac: string
  publicIp: string
  distributedInterval: number
  configTlsRefresh: number
  loggerTlsPeriod: number
  gigsDiskSpaceAvailable: number
  percentDiskSpaceAvailable: number
  gigsTotalDiskSpace: number
  detailUpdatedAt: number
  labelUpdatedAt: number
  policyUpdatedAt: number
  lastEnrolledAt: number
  lastRestartedAt: number
  seenTime: number
  refetchRequested: boolean
  additional: Record<string, unknown> | null
}

/** The vitals detail queries fill; ingestion produces a partial of this. */
export type HostVitals = Partial<
  Pick<
    Host,
    | 'hostname'
    | 'computerName'
    | 'uuid'
    | 'platform'
    | 'platformLike'
    | 'osVersion'
    | 'build'
    | 'codeName'
    | 'osqueryVersion'
    | 'kernelVersion'
    | 'uptimeSeconds'
    | 'memory'
    | 'cpuType'
    | 'cpuSubtype'
    | 'cpuBrand'
    | 'cpuPhysicalCores'
    | 'cpuLogicalCores'
    | 'hardwareVendor'
    | 'hardwareModel'
    | 'hardwareVersion'
    | 'hardwareSerial'
    | 'primaryIp'
    | 'primaryMac'
    | 'distributedInterval'
    | 'configTlsRefresh'
    | 'loggerTlsPeriod'
    | 'gigsDiskSpaceAvailable'
    | 'percentDiskSpaceAvailable'
    | 'gigsTotalDiskSpace'
    | 'lastRestartedAt'
  >
>

export interface HostUser {
  uid: number
  username: string
  type: string
  groupname: string
  shell: string
}

export type HostStatus = 'online' | 'offline' | 'missing' | 'new'

/** Seconds added to a host's check-in interval before it counts as offline (Fleet's buffer). */
export const ONLINE_GRACE_SECONDS = 60
/** A host unseen this long is missing. */
export const MISSING_AFTER_MS = 30 * 86_400_000
/** A host enrolled this recently is new. */
export const NEW_WITHIN_MS = 86_400_000

/**
 * Fleet's host status (4.15 on): online while seen within the shorter of its distributed and
 * config intervals plus the grace; offline otherwise — missing hosts are offline too.
 */
export function hostStatus(
  host: Pick<Host, 'seenTime' | 'distributedInterval' | 'configTlsRefresh'>,
  now: number,
): 'online' | 'offline' {
  const interval = Math.min(host.distributedInterval, host.configTlsRefresh)
  const online =
    host.seenTime > 0 && now - host.seenTime <= (interval + ONLINE_GRACE_SECONDS) * 1000
  return online ? 'online' : 'offline'
}

/** Whether the host has been unseen for 30 days (Fleet's missing, formerly MIA). */
export function isMissing(host: Pick<Host, 'seenTime'>, now: number): boolean {
  return now - host.seenTime > MISSING_AFTER_MS
}

/** Fleet's display name: the computer name if set, else the hostname. */
export function displayName(host: Pick<Host, 'computerName' | 'hostname'>): string {
  return host.computerName || host.hostname
}

/** Linux distributions Fleet treats as Linux (for detail queries and the "All Linux" label). */
export const LINUX_PLATFORMS: ReadonlySet<string> = new Set([
  'linux',
  'ubuntu',
  'debian',
  'rhel',
  'centos',
  'sles',
  'kali',
  'gentoo',
  'amzn',
  'pop',
  'arch',
  'linuxmint',
  'void',
  'nixos',
  'endeavouros',
  'manjaro',
  'opensuse-leap',
  'opensuse-tumbleweed',
  'tuxedo',
  'fedora',
])

export function isLinux(platform: string): boolean {
  return LINUX_PLATFORMS.has(platform)
}
