import {
  listHosts,
  listTeams,
  listUsers,
  type HostSummaryJson,
  type Team,
  type User,
} from '@fleet/api'
import type { FleetClient } from '@fleet/client'
import { CliError } from './errors.js'

const PER_PAGE = 500
/** A server that ignores `page` would otherwise be paged forever. */
const MAX_PAGES = 1000

/** Every team the user can see (optionally matching `query`), across pages. */
export function listAllTeams(client: FleetClient, query?: string): Promise<Team[]> {
  return allPages((page) =>
    client.call(listTeams, { query: { page, per_page: PER_PAGE, query } }).then((res) => res.teams),
  )
}

/** Every user the caller can see, across pages. */
export function listAllUsers(client: FleetClient): Promise<User[]> {
  return allPages((page) =>
    client.call(listUsers, { query: { page, per_page: PER_PAGE } }).then((res) => res.users),
  )
}

/** Every host the user can see, optionally only those of a team (`0`: hosts on no team). */
export function listAllHosts(
  client: FleetClient,
  filters: { teamId?: number | undefined } = {},
): Promise<HostSummaryJson[]> {
  return allPages((page) =>
    client
      .call(listHosts, { query: { page, per_page: PER_PAGE, team_id: filters.teamId } })
      .then((res) => res.hosts),
  )
}

async function allPages<T extends { id: number }>(
  fetch: (page: number) => Promise<T[]>,
): Promise<T[]> {
  const all: T[] = []
  const seen = new Set<number>()
  for (let page = 0; page < MAX_PAGES; page++) {
    const items = await fetch(page)
    const fresh = items.filter((item) => !seen.has(item.id))
    for (const item of fresh) {
      seen.add(item.id)
      all.push(item)
    }
    if (items.length < PER_PAGE || fresh.length === 0) {
      break
    }
  }
  return all
}

/** The team named exactly `name` (or, failing that, case-insensitively), if the user sees it. */
export async function findTeamByName(client: FleetClient, name: string): Promise<Team | undefined> {
  const candidates = await listAllTeams(client, name)
  return (
    candidates.find((team) => team.name === name) ??
    candidates.find((team) => team.name.toLowerCase() === name.toLowerCase())
  )
}

/**
 * The id of the team a `--team` flag names: digits are an id (`0`: no team), anything else a name.
 * @throws CliError when no team has that name
 */
export async function teamIdOf(client: FleetClient, idOrName: string): Promise<number> {
  if (/^\d+$/.test(idOrName)) {
    return Number(idOrName)
  }
  const team = await findTeamByName(client, idOrName)
  if (!team) {
    throw new CliError(`team "${idOrName}" not found`)
  }
  return team.id
}
