import { getQuerySpecs } from '@fleet/api'
import type { Command } from 'commander'
import { z } from 'zod'
import { CliError, doing } from '../errors.js'
import type { Io } from '../io.js'
import { findTeamByName } from '../lists.js'
import { formatFlags, FormatOptions, optionsOf } from '../options.js'
import { outputFormat, renderJsonLines, renderTable, renderYamlDocs, specDoc } from '../render.js'
import { globalsOf, withClient } from '../session.js'

const GetQueriesOptions = FormatOptions.extend({ team: z.string().optional() })

/**
 * `fleetctl get queries [--team name]`: the global queries (or a team's) as a table, or as
 * `kind: query` specs for `apply` with --yaml/--json. Reads `GET /spec/queries`, like Fleet's.
 */
export function registerGetQueries(get: Command, io: Io): void {
  formatFlags(
    get
      .command('queries')
      .aliases(['query', 'q'])
      .option('--team <name>', "a team's queries instead of the global ones")
      .description('List saved queries, or print them as specs for apply'),
  ).action(async (_opts: unknown, cmd: Command) => {
    const flags = optionsOf(GetQueriesOptions, cmd)
    const specs = await withClient(globalsOf(cmd, io), { auth: true }, async (client) => {
      let teamId: number | undefined
      if (flags.team !== undefined) {
        const team = await doing('looking up the team', () =>
          findTeamByName(client, flags.team ?? ''),
        )
        if (!team) {
          throw new CliError(`team "${flags.team}" not found`)
        }
        teamId = team.id
      }
      const res = await doing('could not list queries', () =>
        client.call(getQuerySpecs, { query: { team_id: teamId } }),
      )
      return res.specs
    })
    const docs = specs.map((spec) => specDoc('query', spec))
    switch (outputFormat(flags, 'table')) {
      case 'table':
        io.stdout.write(
          specs.length === 0
            ? 'No queries found\n'
            : renderTable(
                ['name', 'description', 'query', 'interval', 'team'],
                specs.map((q) => [q.name, q.description, q.query, String(q.interval), q.team]),
              ),
        )
        return
      case 'json':
        io.stdout.write(renderJsonLines(docs))
        return
      case 'yaml':
        io.stdout.write(renderYamlDocs(docs))
        return
    }
  })
}
