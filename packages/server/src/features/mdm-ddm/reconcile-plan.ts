import { appliesTo, type ProfileLabelRow } from '../mdm-profiles/index.js'

/** A declaration as the reconcile cron sees it. */
export interface PlanDeclaration {
  uuid: string
  /** 0: "No team". */
  teamKey: number
  identifier: string
  name: string
  token: string
  secretsUpdatedAt: number | null
  labels: (Pick<ProfileLabelRow, 'labelId' | 'exclude' | 'requireAll'> & {
    /** When the label was created (exclude labels wait for the host's next label report). */
    labelCreatedAt: number
  })[]
}

/** An enrolled Apple host (not in Setup Assistant). */
export interface PlanHost {
  uuid: string
  teamKey: number
  enrollmentId: string
  labelIds: ReadonlySet<number>
  /** When the host last reported label results (null: never). */
  labelsReportedAt: number | null
}

/** A `host_mdm_apple_declarations` row, as written. */
export interface HostDeclarationState {
  hostUuid: string
  declarationUuid: string
  identifier: string
  name: string
  status: string | null
  operation: 'install' | 'remove'
  detail: string | null
  token: string
  secretsUpdatedAt: number | null
  resync: boolean
}

export interface Plan {
  upserts: HostDeclarationState[]
  /** Remove rows the resync race replaces (same token re-added before the device synced). */
  deletes: { hostUuid: string; declarationUuid: string }[]
  /** Hosts whose declarations changed: each gets one DeclarativeManagement command. */
  changedHosts: Set<string>
}

/** Whether the host should have the declaration: yes, no, or leave it as it is. */
export function scopeDecision(d: PlanDeclaration, host: PlanHost): 'install' | 'absent' | 'keep' {
  if (d.teamKey !== host.teamKey) {
    return 'absent'
  }
  // A broken label (deleted): never newly installed, never removed from hosts that have it.
  if (d.labels.some((l) => l.labelId === null)) {
    return 'keep'
  }
  // Exclude labels count only once the host reported labels after they were created.
  const excludes = d.labels.filter((l) => l.exclude)
  const newestExclude = Math.max(0, ...excludes.map((l) => l.labelCreatedAt))
  if (excludes.length > 0 && (host.labelsReportedAt ?? -1) < newestExclude) {
    return 'keep'
  }
  return appliesTo(d.labels, host.labelIds) ? 'install' : 'absent'
}

function install(host: PlanHost, d: PlanDeclaration): HostDeclarationState {
  return {
    hostUuid: host.uuid,
    declarationUuid: d.uuid,
    identifier: d.identifier,
    name: d.name,
    status: 'pending',
    operation: 'install',
    detail: null,
    token: d.token,
    secretsUpdatedAt: d.secretsUpdatedAt,
    resync: false,
  }
}

/**
 * One host: installs what it should have and lacks (or has with another token), turns installs
 * it should not have into removals (status NULL until the device fetches the item list), and
 * leaves "keep" decisions alone. The resync race (reference §4.4 item 5): a removal not yet seen
 * by the device (status NULL) with the same token as a new install means the device still has
 * it — the removal row goes and the install is `verified` with `resync` (a sync is forced in
 * case the removal reached it unseen). A removal the device has seen (pending) may have been
 * carried out, so that install is an ordinary pending one.
 */
function planHost(
  host: PlanHost,
  declarations: readonly PlanDeclaration[],
  rows: ReadonlyMap<string, HostDeclarationState>,
  plan: Plan,
): void {
  const decided = new Set<string>()
  const unseenRemovals = new Map<string, HostDeclarationState>()
  for (const row of rows.values()) {
    if (row.operation === 'remove' && row.status === null) {
      unseenRemovals.set(row.token, row)
    }
  }
  for (const d of declarations) {
    const decision = scopeDecision(d, host)
    decided.add(d.uuid)
    const row = rows.get(d.uuid)
    if (decision === 'install' && !(row?.operation === 'install' && row.token === d.token)) {
      const raced = unseenRemovals.get(d.token)
      if (raced && raced.declarationUuid !== d.uuid) {
        plan.deletes.push({ hostUuid: host.uuid, declarationUuid: raced.declarationUuid })
      }
      const next = install(host, d)
      plan.upserts.push(raced ? { ...next, status: 'verified', resync: true } : next)
      plan.changedHosts.add(host.uuid)
    } else if (decision === 'absent' && row?.operation === 'install') {
      plan.upserts.push({ ...row, operation: 'remove', status: null, detail: null, resync: false })
      plan.changedHosts.add(host.uuid)
    }
  }
  // Installs of declarations that no longer exist become removals too.
  for (const row of rows.values()) {
    if (!decided.has(row.declarationUuid) && row.operation === 'install') {
      plan.upserts.push({ ...row, operation: 'remove', status: null, detail: null, resync: false })
      plan.changedHosts.add(host.uuid)
    }
  }
}

/**
 * The reconcile cron's decision for every enrolled host, pure: desired declarations (team + label
 * scoping, as profiles) against the current rows. Nothing is planned for a host already in the
 * desired state, so a run with no change writes nothing.
 */
export function planDeclarations(
  hosts: readonly PlanHost[],
  declarations: readonly PlanDeclaration[],
  rowsByHost: ReadonlyMap<string, ReadonlyMap<string, HostDeclarationState>>,
): Plan {
  const plan: Plan = { upserts: [], deletes: [], changedHosts: new Set() }
  const byTeam = new Map<number, PlanDeclaration[]>()
  for (const d of declarations) {
    byTeam.set(d.teamKey, [...(byTeam.get(d.teamKey) ?? []), d])
  }
  for (const host of hosts) {
    planHost(host, byTeam.get(host.teamKey) ?? [], rowsByHost.get(host.uuid) ?? new Map(), plan)
  }
  return plan
}
