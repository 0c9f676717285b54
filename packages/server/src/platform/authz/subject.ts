import type { Role } from '@fleet/api'

/** Who is acting: a user's global role or their per-team roles (never both). */
export interface Subject {
  userId: number
  globalRole: Role | null
  /** team id → role on that team */
  teamRoles: ReadonlyMap<number, Role>
}

/** Every role that reads (all but gitops, which is write-only). */
export const ANY_READER: readonly Role[] = ['admin', 'maintainer', 'observer', 'observer_plus']

/** The subject's role on one team, if any. */
export function teamRole(subject: Subject, teamId: number): Role | undefined {
  return subject.teamRoles.get(teamId)
}

/** True if the subject's global role is one of `roles`. */
export function hasGlobalRole(subject: Subject, ...roles: Role[]): boolean {
  return subject.globalRole !== null && roles.includes(subject.globalRole)
}

/**
 * The teams whose hosts the subject reads (Fleet's host team filter): `undefined` means every
 * host (global readers). Gitops is write-only: a global gitops user reads no host, and a team
 * gitops role gives no host of that team.
 */
export function readableHostTeams(subject: Subject): readonly number[] | undefined {
  if (hasGlobalRole(subject, ...ANY_READER)) {
    return undefined
  }
  return [...subject.teamRoles].filter(([, role]) => ANY_READER.includes(role)).map(([id]) => id)
}
