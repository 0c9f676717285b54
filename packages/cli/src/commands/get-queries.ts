import {
  getQuerySpec,
  getQuerySpecs,
  getTeam,
  type QuerySpecJson as QuerySpecSchema,
} from '@fleet/api'
import type { FleetClient } from '@fleet/client'
import type { Command } from 'commander'
import { z } from 'zod'
import { doing, isNotFound } from '../errors.js'
import type { Io } from '../io.js'
import { teamIdOf } from '../lists.js'
import { formatFlags, FormatOptions, optionsOf } from '../options.js'
import { outputFormat, renderJsonLines, renderTable, renderYamlDocs, specDoc } from '../render.js'
import { globalsOf, withClient } from '../session.js'

const GetQueriesOptions = FormatOptions.extend({ team: z.string().optional() })

type QuerySpecJson = z.output<typeof QuerySpecSchema>

/**
 * `fleetctl get queries [name] [--team id]`: the global queries (or a team's) as a table, or as
 * `kind: query` specs for `apply` with --yaml/--json; with a name, that query's spec. Reads
 * `GET /spec/queries[/name]`, like Fleet's. `--team` takes Fleet's numeric id (`0`: global) or,
 * as before, a team name.
 */
export function registerGetQueries(get: Command, io: Io): void {
  formatFlags(
    get
      .command('queries')
      .aliases(['query', 'q', 'reports', 'report', 'r'])
      .argument('[name]', 'the query to print as a spec (default: list them)')
      .option('--team <id>', "a team's queries instead of the global ones (0: global)")
      .description('List saved queries, or print one or all as specs for apply'),
  ).action(async (name: string | undefined, _opts: unknown, cmd: Command) => {
    const flags = optionsOf(GetQueriesOptions, cmd)
    const format = outputFormat(flags, name === undefined ? 'table' : 'yaml')
    const out = await withClient(globalsOf(cmd, io), { auth: true }, async (client) => {
      const teamId = flags.team === undefined ? 0 : await teamIdOf(client, flags.team)
      if (teamId !== 0 && !(await teamExists(client, teamId))) {
        return 'Team not found.\n'
      }
      const team = teamId === 0 ? undefined : teamId
      if (name !== undefined) {
        const res = await doing(`could not get query "${name}"`, () =>
          client.call(getQuerySpec, { params: { name }, query: { team_id: team } }),
        )
        return renderQuerySpecs([res.specs], format === 'json' ? 'json' : 'yaml', team)
      }
      return renderQuerySpecs(await listSpecs(client, team), format, team)
    })
    io.stdout.write(out)
  })
}

async function listSpecs(
  client: FleetClient,
  teamId: number | undefined,
): Promise<QuerySpecJson[]> {
  const res = await doing('could not list queries', () =>
    client.call(getQuerySpecs, { query: { team_id: teamId } }),
  )
  return res.specs
}

/** Fleet answers "Team not found." (and exits 0) for an unknown `--team` id. */
async function teamExists(client: FleetClient, id: number): Promise<boolean> {
  try {
    await client.call(getTeam, { params: { id } })
    return true
  } catch (err) {
    if (isNotFound(err)) {
      return false
    }
    throw err
  }
}

/**
 * Query specs as a table (with Fleet's messages when there are none), or as `kind: query`
 * documents in JSON lines / YAML.
 */
export function renderQuerySpecs(
  specs: readonly QuerySpecJson[],
  format: 'table' | 'json' | 'yaml',
  teamId: number | undefined,
): string {
  const docs = specs.map((spec) => specDoc('query', spec))
  switch (format) {
    case 'table':
      if (specs.length === 0) {
        return teamId === undefined
          ? 'No global queries found.\nTo see team queries, run this command with the --team flag.\n'
          : 'No team queries found.\n'
      }
      return renderTable(
        ['name', 'description', 'query', 'interval', 'team'],
        specs.map((q) => [q.name, q.description, q.query, String(q.interval), q.team]),
      )
    case 'json':
      return renderJsonLines(docs)
    case 'yaml':
      return renderYamlDocs(docs)
  }
}
