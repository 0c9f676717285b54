import type { ConfigurationProfile, ProfileLabel } from '@fleet/api'

/**
 * The pure rules of Controls → OS settings: a profile's kind and label scope in words, the upload
 * body from the form, and the links to host lists by OS settings status.
 */

/** Fleet's three label scoping modes, as the upload form names them. */
export const LABEL_MODES = [
  { key: 'labels_include_all', name: 'Include all' },
  { key: 'labels_include_any', name: 'Include any' },
  { key: 'labels_exclude_any', name: 'Exclude any' },
] as const
export type LabelModeKey = (typeof LABEL_MODES)[number]['key']

/** The statuses of a host's OS settings, worst last as Fleet's summary shows them. */
export const PROFILE_STATUSES = ['verified', 'verifying', 'pending', 'failed'] as const
export type ProfileStatus = (typeof PROFILE_STATUSES)[number]

export const STATUS_NAMES: Record<ProfileStatus, string> = {
  verified: 'Verified',
  verifying: 'Verifying',
  pending: 'Pending',
  failed: 'Failed',
}

/** What the upload form holds: the target, and for "Custom" the mode and the labels ticked. */
export interface ProfileTarget {
  target: 'all' | 'custom'
  mode: LabelModeKey
  labels: readonly string[]
}

export const ALL_HOSTS: ProfileTarget = { target: 'all', mode: 'labels_include_all', labels: [] }

/** A `.mobileconfig` (uuid `a…`) or a DDM declaration (uuid `d…`). */
export function profileKind(profile: Pick<ConfigurationProfile, 'profile_uuid'>): string {
  return profile.profile_uuid.startsWith('d') ? 'Declaration (DDM)' : '.mobileconfig'
}

/** A profile's label scope: its mode and labels, or undefined when it targets every host. */
export function profileScope(
  profile: ConfigurationProfile,
): { mode: string; labels: readonly ProfileLabel[] } | undefined {
  for (const { key, name } of LABEL_MODES) {
    const labels = profile[key]
    if (labels && labels.length > 0) {
      return { mode: name, labels }
    }
  }
  return undefined
}

/** Whether a deleted label left the profile "broken": it installs on no new host. */
export function isBroken(profile: ConfigurationProfile): boolean {
  return LABEL_MODES.some(({ key }) => (profile[key] ?? []).some((label) => label.broken === true))
}

/** Problems to fix before uploading, in the form's words (the server checks the file itself). */
export function uploadProblems(
  file: { name: string } | undefined,
  target: ProfileTarget,
): string[] {
  const problems: string[] = []
  if (file === undefined) {
    problems.push('Choose a .mobileconfig or .json file.')
  }
  if (target.target === 'custom' && target.labels.length === 0) {
    problems.push('Choose at least one label, or target all hosts.')
  }
  return problems
}

/**
 * The `POST /configuration_profiles` body (JSON, which the server takes as it takes Fleet's
 * multipart form): the file's text and name, the team (0: "No team") and the labels of one mode.
 */
export function uploadBody(
  file: { name: string; text: string },
  teamId: number | undefined,
  target: ProfileTarget,
) {
  const labels = target.target === 'custom' ? { [target.mode]: [...target.labels] } : {}
  return { profile: file.text, 'profile.filename': file.name, team_id: teamId ?? 0, ...labels }
}

/** The hosts page filtered to hosts whose OS settings are in `status` (the summary's links). */
export function osSettingsHostsLink(status: ProfileStatus, teamId: number | undefined): string {
  return `/hosts/manage?${new URLSearchParams({ team_id: String(teamId ?? 0), os_settings: status })}`
}

/** The hosts page filtered to hosts with one profile in `status` (a profile's count links). */
export function profileHostsLink(
  profileUuid: string,
  status: ProfileStatus,
  teamId: number | undefined,
): string {
  const params = new URLSearchParams({
    team_id: String(teamId ?? 0),
    profile_uuid: profileUuid,
    profile_status: status,
  })
  return `/hosts/manage?${params}`
}

/** Worst first: the order in which a host's OS settings status is decided. */
const SEVERITY: readonly ProfileStatus[] = ['failed', 'pending', 'verifying', 'verified']

/**
 * A host's OS settings status from its profiles' statuses, as Fleet's summary counts it: the
 * worst one (failed, then pending — not sent yet counts as pending — then verifying, verified);
 * undefined when the host has no profile.
 */
export function worstStatus(
  profiles: readonly { status: ProfileStatus | null }[],
): ProfileStatus | undefined {
  const present = new Set(profiles.map((p) => p.status ?? 'pending'))
  return SEVERITY.find((status) => present.has(status))
}

/** One host profile's status in words: not sent yet is "Pending", a removal says so. */
export function hostProfileStatusText(profile: {
  status: ProfileStatus | null
  operation_type: 'install' | 'remove'
}): string {
  const status = STATUS_NAMES[profile.status ?? 'pending']
  return profile.operation_type === 'remove' ? `${status} (removing)` : status
}
