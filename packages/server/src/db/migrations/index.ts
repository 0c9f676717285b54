import type { Migration } from 'kysely'
import * as foundation from './20261121000000_foundation.js'
import * as hosts from './20261121010000_hosts.js'
import * as labels from './20261121020000_labels.js'
import * as carves from './20261121030000_carves.js'
import * as cronLocks from './20261121035000_cron_locks.js'
import * as orbit from './20261121040000_orbit.js'
import * as queries from './20261122010000_queries.js'
import * as policies from './20261122020000_policies.js'
import * as liveQueries from './20261122030000_live_queries.js'
import * as hostRefreshTimes from './20261207010000_host_refresh_times.js'
import * as hostsTeamHostnameIndex from './20261207031700_hosts_team_hostname_index.js'
import * as packs from './20261207150000_packs.js'
import * as hostSearchIndex from './20261207153000_host_search_index.js'
import * as hostSearchTrigrams from './20261207160000_host_search_trigrams.js'
import * as packEntriesFollowQueries from './20261207180000_pack_entries_follow_queries.js'
import * as cronRunsInProgress from './20261207181000_cron_runs_in_progress.js'
import * as mdmAppleSetup from './20261207190000_mdm_apple_setup.js'
import * as mdmCommandQueue from './20261207191000_mdm_command_queue.js'
import * as hostsDisplayNameIndex from './20261207195000_hosts_display_name_index.js'
import * as mdmAppleDevices from './20261207200000_mdm_apple_devices.js'
import * as mdmProfiles from './20261207201000_mdm_profiles.js'
import * as mdmPushFailures from './20261207210000_mdm_push_failures.js'
import * as mdmProfileDelivery from './20261207231000_mdm_profile_delivery.js'
import * as mdmDdm from './20261207232000_mdm_ddm.js'
import * as secretVariables from './20261207232100_secret_variables.js'
import * as mdmAbm from './20261207233000_mdm_abm.js'
import * as activityHosts from './20261207235000_activity_hosts.js'

/**
 * Every migration, by name; names sort in the order they run. Add new ones at the end and never
 * edit one that has been merged.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '20261121000000_foundation': foundation,
  '20261121010000_hosts': hosts,
  '20261121020000_labels': labels,
  '20261121030000_carves': carves,
  '20261121035000_cron_locks': cronLocks,
  '20261121040000_orbit': orbit,
  '20261122010000_queries': queries,
  '20261122020000_policies': policies,
  '20261122030000_live_queries': liveQueries,
  '20261207010000_host_refresh_times': hostRefreshTimes,
  '20261207031700_hosts_team_hostname_index': hostsTeamHostnameIndex,
  '20261207150000_packs': packs,
  '20261207153000_host_search_index': hostSearchIndex,
  '20261207160000_host_search_trigrams': hostSearchTrigrams,
  '20261207180000_pack_entries_follow_queries': packEntriesFollowQueries,
  '20261207181000_cron_runs_in_progress': cronRunsInProgress,
  '20261207190000_mdm_apple_setup': mdmAppleSetup,
  '20261207191000_mdm_command_queue': mdmCommandQueue,
  '20261207195000_hosts_display_name_index': hostsDisplayNameIndex,
  '20261207200000_mdm_apple_devices': mdmAppleDevices,
  '20261207201000_mdm_profiles': mdmProfiles,
  '20261207210000_mdm_push_failures': mdmPushFailures,
  '20261207231000_mdm_profile_delivery': mdmProfileDelivery,
  '20261207232000_mdm_ddm': mdmDdm,
  '20261207232100_secret_variables': secretVariables,
  '20261207233000_mdm_abm': mdmAbm,
  '20261207235000_activity_hosts': activityHosts,
}
