/** Platforms ABM devices are sorted into, each with a default team per token. */
export const ABM_PLATFORMS = ['macos', 'ios', 'ipados'] as const
export type AbmPlatform = (typeof ABM_PLATFORMS)[number]

/** A stored ABM server token, credentials still sealed. */
export interface AbmToken {
  id: number
  orgName: string
  appleId: string
  sealedCredentials: string
  renewAt: number
  termsExpired: boolean
  /** Default team per platform; null = "No team". */
  teams: Record<AbmPlatform, number | null>
  syncCursor: string | null
  lastSyncedAt: number | null
  lastError: string | null
}

/**
 * The platform of an ABM device from its `device_family` (Mac, iPhone, iPad, iPod, AppleTV…) or
 * its `os` (OSX, iOS, iPadOS); undefined for families this server doesn't enroll (Apple TV,
 * Vision).
 */
export function abmPlatform(deviceFamily: string, os: string): AbmPlatform | undefined {
  const family = deviceFamily.toLowerCase()
  const system = os.toLowerCase()
  if (family === 'mac' || system === 'osx' || system === 'macos') {
    return 'macos'
  }
  if (family === 'ipad' || system === 'ipados') {
    return 'ipados'
  }
  if (family === 'iphone' || family === 'ipod' || system === 'ios') {
    return 'ios'
  }
  return undefined
}

/** Fleet's host platform for an ABM platform. */
export const HOST_PLATFORM: Record<AbmPlatform, 'darwin' | 'ios' | 'ipados'> = {
  macos: 'darwin',
  ios: 'ios',
  ipados: 'ipados',
}
