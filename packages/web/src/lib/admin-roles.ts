import type { UserRoles } from './roles.js'

/**
 * Who sees the edit controls of the admin pages (labels, teams, users, enroll secrets, webhooks),
 * mirroring the server's authz rules so the console never offers what would be refused. The
 * server still decides: a control shown by mistake gets "You don't have access".
 */

/** Roles a user can be given, globally or on a team, as Fleet names them. */
export const ROLES = ['admin', 'maintainer', 'observer', 'observer_plus'] as const
export type AssignableRole = (typeof ROLES)[number]

/** Fleet's wording of each role. */
export const ROLE_NAMES: Record<string, string> = {
  admin: 'Admin',
  maintainer: 'Maintainer',
  observer: 'Observer',
  observer_plus: 'Observer+',
  gitops: 'GitOps',
}

const isGlobal = (user: UserRoles, ...roles: string[]) =>
  user.global_role !== null && roles.includes(user.global_role)

const teamRoleOf = (user: UserRoles, teamId: number) =>
  user.teams.find((t) => t.id === teamId)?.role ?? null

/** Labels are global: global admins and maintainers create, edit and delete them. */
export function canManageLabels(user: UserRoles): boolean {
  return isGlobal(user, 'admin', 'maintainer')
}

/**
 * Controls (OS settings): global admins and maintainers, and team admins and maintainers on their
 * teams — the server's `mdm_config_profile` rule (observers read no profile: they can hold
 * Wi-Fi passwords). GitOps users write profiles but cannot list them, so they get no page.
 */
export function canManageControls(user: UserRoles, teamId?: number | null): boolean {
  if (isGlobal(user, 'admin', 'maintainer')) {
    return true
  }
  const writer = (role: string | null) => role === 'admin' || role === 'maintainer'
  if (teamId === undefined) {
    return user.teams.some((t) => writer(t.role))
  }
  return teamId !== null && writer(teamRoleOf(user, teamId))
}

/**
 * The team Controls opens on: the current one when the user manages its profiles, else (a team
 * user) the first team they do; a global writer keeps "all teams", which Controls reads as
 * "No team".
 */
export function controlsTeamId(user: UserRoles, teamId: number | undefined): number | undefined {
  if (canManageControls(user, teamId ?? null)) {
    return teamId
  }
  return user.teams.find((t) => canManageControls(user, t.id))?.id
}

/** Apple MDM set-up (push certificate, turning MDM off): global admins only, as in Fleet. */
export function canSetUpMdm(user: UserRoles): boolean {
  return isGlobal(user, 'admin')
}

/** Creating and deleting teams: global admins only. */
export function canCreateTeams(user: UserRoles): boolean {
  return isGlobal(user, 'admin')
}

/** Renaming a team, its members and their roles, its webhook: global admins and its team admins. */
export function canEditTeam(user: UserRoles, teamId: number): boolean {
  return isGlobal(user, 'admin') || teamRoleOf(user, teamId) === 'admin'
}

/** The users page (every user): global admins. Team admins manage members on their team page. */
export function canManageUsers(user: UserRoles): boolean {
  return isGlobal(user, 'admin')
}

/** Enroll secrets (null: the global ones): global admins and maintainers, team ones too. */
export function canManageEnrollSecrets(user: UserRoles, teamId: number | null): boolean {
  if (isGlobal(user, 'admin', 'maintainer')) {
    return true
  }
  return teamId !== null && ['admin', 'maintainer'].includes(teamRoleOf(user, teamId) ?? '')
}

/** The failing-policies webhook of a scope: the app config (global admins) or a team's. */
export function canEditPolicyWebhook(user: UserRoles, teamId: number | null): boolean {
  return teamId === null ? isGlobal(user, 'admin') : canEditTeam(user, teamId)
}

/** Teams the user administers (every team for a global admin, given as 'all'). */
export function administeredTeams(user: UserRoles): 'all' | number[] {
  if (isGlobal(user, 'admin')) {
    return 'all'
  }
  return user.teams.filter((t) => t.role === 'admin').map((t) => t.id)
}

/** The settings tabs a user may open, in order; empty: no settings link at all. */
export function settingsTabs(user: UserRoles): { to: string; label: string }[] {
  const tabs: { to: string; label: string }[] = []
  if (canManageUsers(user)) {
    tabs.push({ to: '/settings/users', label: 'Users' })
  }
  const admins = administeredTeams(user)
  if (admins === 'all' || admins.length > 0) {
    tabs.push({ to: '/settings/teams', label: 'Teams' })
  }
  if (canManageEnrollSecrets(user, null)) {
    tabs.push({ to: '/settings/enroll-secrets', label: 'Enroll secrets' })
  }
  if (canSetUpMdm(user)) {
    tabs.push({ to: '/settings/integrations/mdm', label: 'Integrations' })
  }
  return tabs
}

/** How a user's roles read in a list: "Admin", or "Observer on Servers, Admin on Laptops". */
export function describeRoles(user: {
  global_role: string | null
  teams: readonly { name: string; role: string | null }[]
}): string {
  if (user.global_role !== null) {
    return ROLE_NAMES[user.global_role] ?? user.global_role
  }
  if (user.teams.length === 0) {
    return 'No access'
  }
  return user.teams.map((t) => `${ROLE_NAMES[t.role ?? ''] ?? 'Member'} on ${t.name}`).join(', ')
}
