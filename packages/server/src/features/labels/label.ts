export type LabelType = 'builtin' | 'regular'
export type LabelMembershipType = 'dynamic' | 'manual'

export interface Label {
  id: number
  createdAt: number
  updatedAt: number
  name: string
  description: string
  query: string
  platform: string
  labelType: LabelType
  membershipType: LabelMembershipType
}

/** A dynamic label as the check-in path needs it. */
export interface LabelQuery {
  id: number
  query: string
  platform: string
  updatedAt: number
}

/**
 * Whether a label's query is sent to a host: labels for every platform go everywhere; others only
 * to hosts of that platform ("linux" covers every Linux distribution).
 */
export function labelAppliesTo(
  labelPlatform: string,
  hostPlatform: string,
  isLinux: (platform: string) => boolean,
): boolean {
  if (labelPlatform === '') {
    return true
  }
  if (labelPlatform === 'linux') {
    return isLinux(hostPlatform)
  }
  return labelPlatform === hostPlatform
}
