import { activityText } from './format.js'

/** An activity as `GET /activities` returns it (the fields the description needs). */
export interface ActivityLike {
  type: string
  actor_full_name: string | null
  fleet_initiated: boolean
  details: Record<string, unknown> | null
}

type Details = Record<string, unknown>

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined

const quoted = (value: unknown, fallback: string): string => {
  const t = text(value)
  return t === undefined ? fallback : `“${t}”`
}

/** " on team “Servers”", or '' for global things (no team). */
const onTeam = (d: Details): string => {
  const team = text(d.team_name)
  return team === undefined ? '' : ` on the “${team}” team`
}

/** "the “Servers” team", or "no team" (Fleet's "No team" profiles). */
const teamOrNone = (d: Details): string => {
  const team = text(d.team_name)
  return team === undefined ? 'no team' : `the “${team}” team`
}

const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])

const role = (value: unknown): string => (text(value) ?? 'no role').replace(/_/g, ' ')

const user = (d: Details): string => text(d.user_name) ?? text(d.user_email) ?? 'a user'

/** What happened, after the actor's name, for each activity type this server records. */
const DESCRIBE: Record<string, (d: Details) => string> = {
  created_team: (d) => `created the team ${quoted(d.team_name, '')}`.trim(),
  edited_team: (d) =>
    text(d.previous_name) && d.previous_name !== d.team_name
      ? `renamed the team ${quoted(d.previous_name, '')} to ${quoted(d.team_name, '')}`
      : `edited the team ${quoted(d.team_name, '')}`,
  deleted_team: (d) => `deleted the team ${quoted(d.team_name, '')}`,
  applied_spec_team: (d) => `applied ${count(list(d.teams).length, 'team')} from a file`,
  edited_agent_options: (d) =>
    d.global === false
      ? `edited the agent options of ${text(d.team_name) ? `the “${String(d.team_name)}”` : 'a'} team`
      : 'edited the global agent options',
  edited_app_config: () => 'edited the organization settings',
  created_user: (d) => `created the user ${user(d)}`,
  edited_user: (d) =>
    d.password_changed === true
      ? `changed the password of ${user(d)}`
      : `edited the user ${user(d)}`,
  deleted_user: (d) => `deleted the user ${user(d)}`,
  required_password_reset: (d) =>
    d.required === false
      ? `cleared the password reset of ${user(d)}`
      : `required ${user(d)} to reset their password`,
  changed_user_global_role: (d) => `made ${user(d)} a global ${role(d.role)}`,
  deleted_user_global_role: (d) => `removed the global ${role(d.role)} role of ${user(d)}`,
  changed_user_team_role: (d) => `made ${user(d)} ${role(d.role)}${onTeam(d)}`,
  deleted_user_team_role: (d) => `removed ${user(d)} from the “${text(d.team_name) ?? ''}” team`,
  user_logged_in: (d) => `logged in${text(d.public_ip) ? ` from ${String(d.public_ip)}` : ''}`,
  user_failed_login: (d) => `failed to log in as ${text(d.email) ?? 'an unknown user'}`,
  created_policy: (d) => `created the policy ${quoted(d.policy_name, '')}${onTeam(d)}`,
  edited_policy: (d) => `edited the policy ${quoted(d.policy_name, '')}${onTeam(d)}`,
  deleted_policy: (d) => `deleted the policy ${quoted(d.policy_name, '')}${onTeam(d)}`,
  applied_spec_policy: (d) => `applied ${count(list(d.policies).length, 'policy', 'policies')}`,
  created_saved_query: (d) => `created the query ${quoted(d.query_name, '')}${onTeam(d)}`,
  edited_saved_query: (d) => `edited the query ${quoted(d.query_name, '')}${onTeam(d)}`,
  deleted_saved_query: (d) => `deleted the query ${quoted(d.query_name, '')}${onTeam(d)}`,
  deleted_multiple_saved_query: (d) =>
    `deleted ${count(list(d.query_ids).length, 'query', 'queries')}`,
  applied_spec_saved_query: (d) => `applied ${count(list(d.specs).length, 'query', 'queries')}`,
  live_query: (d) => {
    const hosts = typeof d.targets_count === 'number' ? count(d.targets_count, 'host') : 'hosts'
    return text(d.query_name)
      ? `ran the query ${quoted(d.query_name, '')} live on ${hosts}`
      : `ran a live query on ${hosts}`
  },
  created_label: (d) => `created the label ${quoted(d.label_name, '')}`,
  edited_label: (d) => `edited the label ${quoted(d.label_name, '')}`,
  deleted_label: (d) => `deleted the label ${quoted(d.label_name, '')}`,
  applied_spec_label: (d) => `applied ${count(list(d.labels).length, 'label')}`,
  created_pack: (d) => `created the pack ${quoted(d.pack_name, '')}`,
  edited_pack: (d) => `edited the pack ${quoted(d.pack_name, '')}`,
  deleted_pack: (d) => `deleted the pack ${quoted(d.pack_name, '')}`,
  applied_spec_pack: () => 'applied packs from a file',
  deleted_host: (d) => `deleted the host ${quoted(d.host_display_name, '')}`,
  transferred_hosts: (d) => {
    const names = list(d.host_display_names).filter((n): n is string => typeof n === 'string')
    const what = names.length === 1 ? `the host “${names[0] ?? ''}”` : count(names.length, 'host')
    const to = text(d.team_name) ? `the “${String(d.team_name)}” team` : 'no team'
    return `transferred ${what} to ${to}`
  },
  edited_enroll_secrets: (d) =>
    text(d.team_name)
      ? `edited the enroll secrets of the “${String(d.team_name)}” team`
      : 'edited the global enroll secrets',
  fleet_enrolled: (d) => `enrolled the host ${quoted(d.host_display_name, '')} with fleetd`,
  // Recorded by the Apple MDM check-in (no actor: the device enrolled itself).
  mdm_enrolled: (d) =>
    `turned on MDM for the host ${quoted(d.host_display_name, '')} (${d.installed_from_dep === true ? 'automatic' : 'manual'} enrollment)`,
  mdm_unenrolled: (d) => `turned off MDM for the host ${quoted(d.host_display_name, '')}`,
  created_macos_profile: (d) =>
    `added the configuration profile ${quoted(d.profile_name, '')} to ${teamOrNone(d)}`,
  deleted_macos_profile: (d) =>
    `deleted the configuration profile ${quoted(d.profile_name, '')} from ${teamOrNone(d)}`,
  edited_macos_profile: (d) => `edited the configuration profiles of ${teamOrNone(d)}`,
  created_declaration_profile: (d) =>
    `added the declaration (DDM) profile ${quoted(d.profile_name, '')} to ${teamOrNone(d)}`,
  deleted_declaration_profile: (d) =>
    `deleted the declaration (DDM) profile ${quoted(d.profile_name, '')} from ${teamOrNone(d)}`,
  edited_declaration_profile: (d) => `edited the declaration (DDM) profiles of ${teamOrNone(d)}`,
}

/**
 * An activity in plain words, with who did it: "Ana Admin created the policy “Disk encrypted”
 * on the “Servers” team", "Fleet enrolled the host “mbp-12” with fleetd". Types this page does not
 * know are worded from their name.
 */
export function describeActivity(activity: ActivityLike): string {
  // No actor: Fleet acted itself (cron, enrollment) or on first-run setup, before any user existed.
  const actor = activity.actor_full_name ?? 'Fleet'
  const describe = Object.hasOwn(DESCRIBE, activity.type) ? DESCRIBE[activity.type] : undefined
  if (!describe) {
    return `${actor}: ${activityText(activity.type)}`
  }
  return `${actor} ${describe(activity.details ?? {})
    .replace(/\s+/g, ' ')
    .trim()}.`
}

/** The activity types this page words in sentences (what the server records). */
export const DESCRIBED_ACTIVITY_TYPES = Object.keys(DESCRIBE)
