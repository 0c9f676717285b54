import {
  createLiveQueryCampaign,
  createLiveQueryCampaignByIdentifiers,
  getHostByIdentifier,
  listLabels,
  listQueries,
  type LiveQueryCampaign,
} from '@fleet/api'
import type { FleetClient } from '@fleet/client'
import { CliError, doing, isNotFound } from '../errors.js'
import { teamIdOf } from '../lists.js'

export interface QueryTargets {
  hosts: string[]
  labels: string[]
  teams: string[]
}

/** The id of the saved query with exactly this name, global or of team `teamId` (`0`: global). */
export async function savedQueryId(client: FleetClient, name: string, teamId = 0): Promise<number> {
  const team_id = teamId === 0 ? undefined : teamId
  const { queries } = await doing('looking up the query', () =>
    client.call(listQueries, { query: { query: name, per_page: 10_000, team_id } }),
  )
  const found = queries.find((q) => q.name === name)
  if (!found) {
    throw new CliError(`no saved query named "${name}"`)
  }
  return found.id
}

/**
 * Starts the campaign: by host identifiers and label names (Fleet's run_by_identifiers) or,
 * when teams are named too, by ids after resolving every name.
 */
export async function startCampaign(
  client: FleetClient,
  sql: { query?: string; queryId?: number },
  targets: QueryTargets,
): Promise<LiveQueryCampaign> {
  const query = { query: sql.query, query_id: sql.queryId }
  if (targets.teams.length === 0) {
    const res = await client.call(createLiveQueryCampaignByIdentifiers, {
      body: { ...query, selected: { hosts: targets.hosts, labels: targets.labels } },
    })
    return res.campaign
  }
  const [hosts, labels, teams] = await Promise.all([
    Promise.all(targets.hosts.map((h) => hostId(client, h))),
    labelIds(client, targets.labels),
    Promise.all(targets.teams.map((t) => teamIdOf(client, t))),
  ])
  const res = await client.call(createLiveQueryCampaign, {
    body: { ...query, selected: { hosts, labels, teams } },
  })
  return res.campaign
}

/** The id of the host a hostname, UUID or serial names. */
export async function hostId(client: FleetClient, identifier: string): Promise<number> {
  try {
    return (await client.call(getHostByIdentifier, { params: { identifier } })).host.id
  } catch (err) {
    if (isNotFound(err)) {
      throw new CliError(`no host "${identifier}"`)
    }
    throw err
  }
}

/** The ids of the labels named, in order. */
export async function labelIds(client: FleetClient, names: readonly string[]): Promise<number[]> {
  if (names.length === 0) {
    return []
  }
  const { labels } = await client.call(listLabels, { query: { per_page: 10_000 } })
  return names.map((name) => {
    const label = labels.find((l) => l.name === name)
    if (!label) {
      throw new CliError(`no label "${name}"`)
    }
    return label.id
  })
}
