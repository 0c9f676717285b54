import { z } from 'zod'
import { ListQuery } from './common.js'

/**
 * Host status as a filter: Fleet's statuses plus `mia`, its deprecated name for `missing`
 * (unseen for 30 days).
 */
export const HostStatusFilter = z.enum(['online', 'offline', 'mia', 'missing', 'new'])

/**
 * Fleet reads an empty filter (`?status=`, or `"status": ""` / `null` in a bulk body, Go's zero
 * values that real fleetctl sends) as no filter; so `?team_id=` is not "no team".
 */
function unsetWhenEmpty<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' || value === null ? undefined : value), schema)
}

/**
 * A Fleet host filter we have no data for yet: refused with a 400 naming the parameter, rather
 * than ignored (a script would take the whole list for the filtered one).
 */
function notYet(reason: string) {
  return unsetWhenEmpty(
    z
      .string()
      .optional()
      .refine((value) => value === undefined, `not supported yet: ${reason}`)
      .meta({ description: `Refused (400): ${reason}.` }),
  )
}

const NO_SOFTWARE = 'no software inventory is collected'
const NO_MDM = 'no MDM data is collected'
const NO_OS_TABLE = 'no operating systems inventory; filter with os_name and os_version'

/**
 * Fleet's host filters with no data behind them here. Each is refused when given (see
 * {@link notYet}); `populate_software=false` is accepted since it asks for nothing.
 */
const UNSUPPORTED_FILTERS = {
  software_id: notYet(NO_SOFTWARE),
  software_version_id: notYet(NO_SOFTWARE),
  software_title_id: notYet(NO_SOFTWARE),
  software_status: notYet(NO_SOFTWARE),
  vulnerability: notYet('no vulnerability data is collected'),
  os_id: notYet(NO_OS_TABLE),
  os_version_id: notYet(NO_OS_TABLE),
  mdm_id: notYet(NO_MDM),
  mdm_name: notYet(NO_MDM),
  connected_to_fleet: notYet(NO_MDM),
  macos_settings_disk_encryption: notYet(NO_MDM),
  os_settings_disk_encryption: notYet(NO_MDM),
  bootstrap_package: notYet(NO_MDM),
  munki_issue_id: notYet('no Munki data is collected'),
}

/** The statuses OS settings filters take (Fleet's `macos_settings` / `os_settings`). */
export const OsSettingsStatus = z.enum(['verified', 'verifying', 'pending', 'failed'])
export type OsSettingsStatus = z.infer<typeof OsSettingsStatus>

/** Fleet's host filters, shared by list, count, bulk delete and transfer. */
export const HostFilters = z.object({
  query: unsetWhenEmpty(z.string().max(256).optional()),
  /** Only members of this label. */
  label_id: unsetWhenEmpty(z.coerce.number().int().positive().optional()),
  status: unsetWhenEmpty(HostStatusFilter.optional()),
  /** `0` means hosts on no team. */
  team_id: unsetWhenEmpty(z.coerce.number().int().min(0).optional()),
  /** With `policy_response`: hosts passing or failing this policy (alone it filters nothing, as in Fleet). */
  policy_id: unsetWhenEmpty(z.coerce.number().int().positive().optional()),
  /** Needs `policy_id` (400 without it). */
  policy_response: unsetWhenEmpty(z.enum(['passing', 'failing']).optional()),
  /** Hosts with less than this many GB of disk space available (1–100). */
  low_disk_space: unsetWhenEmpty(z.coerce.number().int().min(1).max(100).optional()),
  /** With `os_version` (400 alone): hosts running that OS, e.g. `Ubuntu` and `22.04.3 LTS`. */
  os_name: unsetWhenEmpty(z.string().min(1).max(255).optional()),
  /** With `os_name` (400 alone). */
  os_version: unsetWhenEmpty(z.string().min(1).max(255).optional()),
  /**
   * Fleet's MDM enrollment filter: `enrolled` (On), `manual`/`automatic` (On, not / through
   * ABM), `pending` (in ABM, not enrolled yet), `unenrolled` (Off or never, not in ABM).
   */
  mdm_enrollment_status: unsetWhenEmpty(
    z.enum(['manual', 'automatic', 'enrolled', 'unenrolled', 'pending']).optional(),
  ),
  /**
   * Hosts by the worst status of their OS settings (configuration profiles and declarations):
   * failed, then pending (not sent yet, or being removed), then verifying, then verified.
   */
  os_settings: unsetWhenEmpty(OsSettingsStatus.optional()),
  /** Fleet's older name of `os_settings` (macOS only; every OS setting here is Apple's). */
  macos_settings: unsetWhenEmpty(OsSettingsStatus.optional()),
  /** With `profile_status` (400 alone): hosts where this profile has that status. */
  profile_uuid: unsetWhenEmpty(z.string().min(1).max(37).optional()),
  /** Needs `profile_uuid`. */
  profile_status: unsetWhenEmpty(OsSettingsStatus.optional()),
  populate_software: unsetWhenEmpty(
    z
      .stringbool()
      .optional()
      .refine((v) => v !== true, `not supported yet: ${NO_SOFTWARE}`),
  ),
  ...UNSUPPORTED_FILTERS,
})
export type HostFilters = z.output<typeof HostFilters>

/** `GET /hosts` (and a label's hosts): paging, ordering, filters, and what to add to each host. */
export const ListHostsQuery = ListQuery.extend(HostFilters.shape).extend({
  /** Keyset paging: hosts whose `order_key` column is after this value (needs `order_key`). */
  after: z.string().max(255).optional(),
  /** Adds each host's `policies` (the policies that apply to it, with its responses). */
  populate_policies: z.stringbool().default(false),
  /** Adds each host's `device_mapping` (its users' emails; null when none are known). */
  device_mapping: z.stringbool().default(false),
  /** Leaves failing policies out of `issues` (all zero), as Fleet does. */
  disable_issues: z.stringbool().optional(),
  /** Deprecated name of `disable_issues`. */
  disable_failing_policies: z.stringbool().optional(),
})
export type ListHostsQuery = z.output<typeof ListHostsQuery>
