export type ProfileKind = 'mobileconfig' | 'declaration'

/** A stored `.mobileconfig` profile (uuid `a…`) or DDM declaration (uuid `d…`). */
export interface ProfileRow {
  uuid: string
  kind: ProfileKind
  /** null: "No team". */
  teamId: number | null
  identifier: string
  name: string
  /** The file as uploaded (declarations keep `$FLEET_SECRET_*` unexpanded). */
  contents: string
  /** `.mobileconfig`: lower-case hex MD5 of the file; declaration: its upper-case hex ServerToken. */
  checksum: string
  createdAt: number
  uploadedAt: number
  /** Set when the file references `$FLEET_SECRET_*`; moves when one of them changes value. */
  secretsUpdatedAt: number | null
}

/** One label a profile is scoped to. `labelId` null: the label was deleted ("broken"). */
export interface ProfileLabelRow {
  profileUuid: string
  labelId: number | null
  labelName: string
  exclude: boolean
  requireAll: boolean
}

/** Which of Fleet's three label keys a profile uses. */
export type LabelMode = 'labels_include_all' | 'labels_include_any' | 'labels_exclude_any'

export function modeOf(label: Pick<ProfileLabelRow, 'exclude' | 'requireAll'>): LabelMode {
  return label.exclude
    ? 'labels_exclude_any'
    : label.requireAll
      ? 'labels_include_all'
      : 'labels_include_any'
}

/**
 * Whether a profile scoped by `labels` applies to a host that belongs to `hostLabelIds`: no labels
 * means every host of the team; a broken label (deleted) never lets the profile be newly installed.
 */
export function appliesTo(
  labels: readonly Pick<ProfileLabelRow, 'labelId' | 'exclude' | 'requireAll'>[],
  hostLabelIds: ReadonlySet<number>,
): boolean {
  if (labels.some((l) => l.labelId === null)) {
    return false
  }
  const member = (l: (typeof labels)[number]) => hostLabelIds.has(l.labelId ?? -1)
  const includeAll = labels.filter((l) => !l.exclude && l.requireAll)
  const includeAny = labels.filter((l) => !l.exclude && !l.requireAll)
  const excludeAny = labels.filter((l) => l.exclude)
  return (
    includeAll.every(member) &&
    (includeAny.length === 0 || includeAny.some(member)) &&
    !excludeAny.some(member)
  )
}
