import type { CommandError } from '../mdm-commands/index.js'

/** A `.mobileconfig` profile as delivery sees it. */
export interface DeliverableProfile {
  uuid: string
  /** 0: "No team" (the tables' key). */
  teamKey: number
  identifier: string
  name: string
  /** Lower-case hex MD5 of the file. */
  checksum: string
  contents: string
}

/** One label scoping row of a profile, with what the exclude rule needs to know of the label. */
export interface ScopeLabel {
  /** null: the label was deleted ("broken"). */
  labelId: number | null
  exclude: boolean
  requireAll: boolean
  /** When the label was created (ms); absent for a broken label. */
  labelCreatedAt?: number | undefined
  /** Manual labels are exempt from the exclude timing rule (their membership is set, not reported). */
  manual?: boolean | undefined
}

/** What the exclusion timing rule needs to know of a host. */
export interface ScopedHost {
  /** Labels the host is a member of. */
  labelIds: ReadonlySet<number>
  /** When the host last reported label results (ms); 0 if never. */
  labelUpdatedAt: number
}

/**
 * Whether a profile scoped by `labels` is wanted on `host`: `waiting` when it would apply but the
 * host has not reported label results since an excluded label was created (its membership is not
 * known yet), `broken` when one of its labels was deleted. Neither is installed nor removed.
 */
export type Scope = 'applies' | 'not-applies' | 'waiting' | 'broken'

/**
 * Fleet's label scoping for delivery, in one place: no labels → every host of the team; include
 * all → member of each; include any → member of one; exclude any → member of none **and** the host
 * reported label results after each excluded (dynamic; manual labels are exempt) label was
 * created. A deleted label makes the profile "broken": never newly installed, never removed.
 */
export function scopeFor(labels: readonly ScopeLabel[], host: ScopedHost): Scope {
  if (labels.some((l) => l.labelId === null)) {
    return 'broken'
  }
  const member = (l: ScopeLabel) => l.labelId !== null && host.labelIds.has(l.labelId)
  const includeAll = labels.filter((l) => !l.exclude && l.requireAll)
  const includeAny = labels.filter((l) => !l.exclude && !l.requireAll)
  const excludeAny = labels.filter((l) => l.exclude)
  const applies =
    includeAll.every(member) &&
    (includeAny.length === 0 || includeAny.some(member)) &&
    !excludeAny.some(member)
  if (!applies) {
    return 'not-applies'
  }
  const fresh = excludeAny.every(
    (l) => l.manual === true || host.labelUpdatedAt >= (l.labelCreatedAt ?? Infinity),
  )
  return fresh ? 'applies' : 'waiting'
}

/** A host's row for one profile, as stored. */
export interface HostProfileState {
  profileUuid: string
  identifier: string
  name: string
  /** null: not sent yet (or to be sent again: resend, re-install after verification). */
  status: string | null
  operation: 'install' | 'remove'
  checksum: string
}

/** What reconciling one host decided. */
export interface HostPlan {
  /** Profiles to send (InstallProfile). */
  install: DeliverableProfile[]
  /** Rows to remove from the device (RemoveProfile by identifier). */
  remove: HostProfileState[]
  /** Rows to forget without a command (never reached the device). */
  forget: HostProfileState[]
}

/**
 * Desired vs current for one host. Install what is wanted and missing, changed (checksum differs),
 * being removed, or marked to be sent (status null); remove what was sent and is no longer wanted
 * — unless `keep` has it (broken or waiting profiles: left as they are). A row never sent, or
 * whose install failed, is forgotten instead of removed: nothing of it is on the device.
 */
export function planHost(
  wanted: readonly DeliverableProfile[],
  keep: ReadonlySet<string>,
  current: readonly HostProfileState[],
): HostPlan {
  const byUuid = new Map(current.map((row) => [row.profileUuid, row]))
  const wantedUuids = new Set(wanted.map((p) => p.uuid))
  const install = wanted.filter((p) => {
    const row = byUuid.get(p.uuid)
    return (
      row === undefined ||
      row.operation === 'remove' ||
      row.checksum !== p.checksum ||
      row.status === null
    )
  })
  const remove: HostProfileState[] = []
  const forget: HostProfileState[] = []
  for (const row of current) {
    if (wantedUuids.has(row.profileUuid) || keep.has(row.profileUuid)) {
      continue
    }
    if (row.operation !== 'install') {
      continue
    }
    if (row.status === null || row.status === 'failed') {
      forget.push(row)
    } else {
      remove.push(row)
    }
  }
  return { install, remove, forget }
}

/** A device's ErrorChain as one line for `detail`. */
export function errorDetail(chain: readonly CommandError[], status: string): string {
  const parts = chain.map((e) =>
    [
      e.errorDomain && e.errorCode !== undefined ? `${e.errorDomain} (${e.errorCode})` : undefined,
      e.usEnglishDescription ?? e.localizedDescription,
    ]
      .filter((x) => x !== undefined && x !== '')
      .join(': '),
  )
  const text = parts.filter((p) => p !== '').join('; ')
  return text === '' ? `the device answered ${status}` : text
}

/** Apple's "profile not installed" (MCProfileErrorDomain 89): a removal that has nothing to do. */
export function isProfileNotFound(chain: readonly CommandError[]): boolean {
  return chain.some((e) => e.errorCode === 89 && e.errorDomain === 'MCProfileErrorDomain')
}

/** A duration as people say it: 24 h, 90 min, 45 s. */
export function humanDuration(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) {
    return `${ms / 3_600_000} h`
  }
  if (ms >= 60_000 && ms % 60_000 === 0) {
    return `${ms / 60_000} min`
  }
  return `${Math.round(ms / 1000)} s`
}

/** The `detail` of a row the device never answered within the timeout. */
export function pendingTimeoutDetail(timeoutMs: number): string {
  return `device did not respond in ${humanDuration(timeoutMs)}`
}

/** The `detail` of a row verifying for longer than the timeout (ProfileList never answered). */
export function verifyingTimeoutDetail(timeoutMs: number): string {
  return `device did not confirm the profile in ${humanDuration(timeoutMs)}`
}

/** The `detail` of a profile the device's ProfileList still lacks after a re-install. */
export const NOT_FOUND_DETAIL = 'profile not found on host'

/** One entry of a ProfileList answer. */
export interface InstalledProfile {
  identifier: string
  payloadUuid: string | undefined
}

/**
 * Verification of one verifying row against the device's ProfileList: verified when the
 * identifier is listed and, if both are known, the PayloadUUID matches the profile we sent;
 * otherwise re-installed once (`retries` 0), then failed.
 */
export function verdict(
  row: { identifier: string; payloadUuid: string | undefined; retries: number },
  installed: ReadonlyMap<string, InstalledProfile>,
): 'verified' | 'reinstall' | 'failed' {
  const found = installed.get(row.identifier)
  const same =
    found !== undefined &&
    (row.payloadUuid === undefined ||
      found.payloadUuid === undefined ||
      found.payloadUuid === row.payloadUuid)
  if (same) {
    return 'verified'
  }
  return row.retries === 0 ? 'reinstall' : 'failed'
}

/**
 * When a host whose commands wait unanswered is pushed again: the gap since the last push
 * doubles from 1 min (measured from when the commands were sent), capped at 1 h.
 */
export function repushDue(sentAt: number, lastPushAt: number | null, now: number): boolean {
  const last = lastPushAt ?? sentAt
  const gap = Math.min(Math.max(last - sentAt, 60_000), 3_600_000)
  return now - last >= gap
}
