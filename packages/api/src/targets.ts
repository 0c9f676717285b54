import { z } from 'zod'
import { defineEndpoint } from './contract.js'
import { HostSummaryJson } from './hosts.js'
import { LiveQueryTargets } from './live-queries.js'

/**
 * Target pickers (Fleet's UI before a live query or policy run): find hosts by name, and count
 * what a selection of hosts, labels and teams reaches, within the caller's teams.
 */

/** Most hosts `POST /hosts/search` answers with, as Fleet's. */
export const MAX_HOST_SEARCH_RESULTS = 10

const SavedQueryId = z.number().int().positive().nullish()

export const SearchHostsRequest = z.object({
  /** Text matched against hostname, computer name, serial, UUID and IP; empty: any host. */
  query: z.string().max(255).nullish(),
  /** A saved query: observers see targets only when it lets them run it (`observer_can_run`). */
  query_id: SavedQueryId,
  /** Hosts the picker already holds, left out of the answer. */
  excluded_host_ids: z.array(z.number().int()).max(100_000).nullish(),
})

export const searchHosts = defineEndpoint({
  method: 'POST',
  path: '/hosts/search',
  mount: 'fleet',
  tag: 'Targets',
  summary: `Hosts matching a text, at most ${MAX_HOST_SEARCH_RESULTS}, most recently seen first`,
  auth: 'user',
  body: SearchHostsRequest,
  response: z.object({ hosts: z.array(HostSummaryJson) }),
})

export const countTargets = defineEndpoint({
  method: 'POST',
  path: '/targets/count',
  mount: 'fleet',
  tag: 'Targets',
  summary: 'How many hosts a selection of hosts, labels and teams reaches, by status',
  auth: 'user',
  body: z.object({ query_id: SavedQueryId, selected: LiveQueryTargets.prefault({}) }),
  response: z.object({
    targets_count: z.number().int(),
    targets_online: z.number().int(),
    targets_offline: z.number().int(),
  }),
})

/** A label offered by `POST /targets`, with how many of the caller's hosts it holds. */
export const TargetLabelJson = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  label_type: z.string(),
  label_membership_type: z.string(),
  platform: z.string(),
  display_text: z.string(),
  count: z.number().int(),
})

/** A team offered by `POST /targets`, with its host count (`id` 0 is "No team"). */
export const TargetTeamJson = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  display_text: z.string(),
  count: z.number().int(),
})

/**
 * Fleet UI's target picker in one call: hosts, labels and teams matching a text (those already
 * selected left out), and what the selection reaches by status.
 */
export const searchTargets = defineEndpoint({
  method: 'POST',
  path: '/targets',
  mount: 'fleet',
  tag: 'Targets',
  summary: 'Hosts, labels and teams matching a text, and what a selection of them reaches',
  auth: 'user',
  body: z.object({
    /** Matched against host names and identifiers, label names and team names; empty: any. */
    query: z.string().max(255).nullish(),
    query_id: SavedQueryId,
    selected: LiveQueryTargets.prefault({}),
    /** Sent by Fleet's UI; observers' reach follows the saved query's `observer_can_run`. */
    include_observer: z.boolean().nullish(),
  }),
  response: z.object({
    targets: z.object({
      hosts: z.array(HostSummaryJson.extend({ display_text: z.string() })),
      labels: z.array(TargetLabelJson),
      teams: z.array(TargetTeamJson),
    }),
    targets_count: z.number().int(),
    targets_online: z.number().int(),
    targets_offline: z.number().int(),
    targets_missing_in_action: z.number().int(),
  }),
})
