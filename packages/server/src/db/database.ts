import type { HostMdmAppleProfileChecksTable } from '../features/mdm-profile-delivery/mdm-profile-delivery.table.js'
import type { Kysely, Transaction } from 'kysely'
import type { CronLocksTable } from '../cron/cron-locks.table.js'
import type {
  ActivitiesTable,
  ActivityHostsTable,
} from '../features/activities/activities.table.js'
import type { AppConfigTable } from '../features/app-config/app-config.table.js'
import type { HostsTable, HostUsersTable } from '../features/hosts/hosts.table.js'
import type { HostRefreshTimesTable } from '../features/hosts/refresh-times.table.js'
import type {
  HostDeviceAuthTable,
  HostOrbitInfoTable,
} from '../features/hosts/orbit-hosts.table.js'
import type { LabelMembershipTable, LabelsTable } from '../features/labels/labels.table.js'
import type { LiveQueryCampaignsTable } from '../features/live-queries/live-queries.table.js'
import type {
  PoliciesTable,
  PolicyMembershipTable,
  PolicyStatsTable,
  PolicyWebhookQueueTable,
} from '../features/policies/policies.table.js'
import type {
  PackScheduledQueriesTable,
  PacksTable,
  PackTargetsTable,
} from '../features/packs/packs.table.js'
import type {
  MdmCommandResultsTable,
  MdmCommandsTable,
  MdmEnrollmentQueueTable,
  MdmEnrollmentsTable,
} from '../features/mdm-commands/mdm-commands.table.js'
import type { QueriesTable, QueryResultsTable } from '../features/queries/queries.table.js'
import type { CarveBlocksTable, CarvesTable } from '../features/carves/carves.table.js'
import type { EnrollSecretsTable } from '../features/enroll-secrets/enroll-secrets.table.js'
import type {
  HostMdmAppleDeclarationsTable,
  HostMdmAppleProfilesTable,
  MdmAppleConfigurationProfilesTable,
  MdmAppleDeclarationsTable,
  MdmProfileLabelsTable,
} from '../features/mdm-profiles/mdm-profiles.table.js'
import type { MdmConfigAssetsTable } from '../features/mdm-setup/mdm-setup.table.js'
import type { MdmScepCertificatesTable } from '../features/mdm-scep/mdm-scep.table.js'
import type { MdmAppleDevicesTable } from '../features/mdm-checkin/mdm-checkin.table.js'
import type {
  MdmAppleDdmHostSyncsTable,
  MdmAppleDeclarativeRequestsTable,
} from '../features/mdm-ddm/mdm-ddm.table.js'
import type {
  MdmAbmDevicesTable,
  MdmAbmKeysTable,
  MdmAbmProfilesTable,
  MdmAbmTokensTable,
} from '../features/mdm-abm/mdm-abm.table.js'
import type { SecretVariablesTable } from '../features/secret-variables/secret-variables.table.js'
import type { SessionsTable } from '../features/sessions/sessions.table.js'
import type { TeamsTable } from '../features/teams/teams.table.js'
import type { UsersTable, UserTeamsTable } from '../features/users/users.table.js'

/** Every table, keyed by name. Each feature owns (and alone writes) its tables. */
export interface Database {
  users: UsersTable
  user_teams: UserTeamsTable
  sessions: SessionsTable
  teams: TeamsTable
  enroll_secrets: EnrollSecretsTable
  app_config: AppConfigTable
  activities: ActivitiesTable
  activity_hosts: ActivityHostsTable
  hosts: HostsTable
  host_users: HostUsersTable
  host_refresh_times: HostRefreshTimesTable
  host_orbit_info: HostOrbitInfoTable
  host_device_auth: HostDeviceAuthTable
  labels: LabelsTable
  label_membership: LabelMembershipTable
  live_query_campaigns: LiveQueryCampaignsTable
  policies: PoliciesTable
  policy_membership: PolicyMembershipTable
  policy_stats: PolicyStatsTable
  policy_webhook_queue: PolicyWebhookQueueTable
  queries: QueriesTable
  query_results: QueryResultsTable
  packs: PacksTable
  pack_targets: PackTargetsTable
  pack_scheduled_queries: PackScheduledQueriesTable
  carves: CarvesTable
  carve_blocks: CarveBlocksTable
  cron_locks: CronLocksTable
  mdm_config_assets: MdmConfigAssetsTable
  mdm_scep_certificates: MdmScepCertificatesTable
  mdm_enrollments: MdmEnrollmentsTable
  mdm_commands: MdmCommandsTable
  mdm_enrollment_queue: MdmEnrollmentQueueTable
  mdm_command_results: MdmCommandResultsTable
  mdm_apple_devices: MdmAppleDevicesTable
  mdm_apple_configuration_profiles: MdmAppleConfigurationProfilesTable
  mdm_apple_declarations: MdmAppleDeclarationsTable
  mdm_profile_labels: MdmProfileLabelsTable
  host_mdm_apple_profiles: HostMdmAppleProfilesTable
  host_mdm_apple_declarations: HostMdmAppleDeclarationsTable
  host_mdm_apple_profile_checks: HostMdmAppleProfileChecksTable
  mdm_apple_declarative_requests: MdmAppleDeclarativeRequestsTable
  mdm_apple_ddm_host_syncs: MdmAppleDdmHostSyncsTable
  mdm_abm_keys: MdmAbmKeysTable
  mdm_abm_tokens: MdmAbmTokensTable
  mdm_abm_profiles: MdmAbmProfilesTable
  mdm_abm_devices: MdmAbmDevicesTable
  secret_variables: SecretVariablesTable
}

/** What stores take: the database or an open transaction. */
export type Db = Kysely<Database> | Transaction<Database>
