import { HostStatus, transferHosts, transferHostsByFilter } from '@fleet/api'
import type { HostFilters as HostFiltersSchema } from '@fleet/api'
import type { FleetClient } from '@fleet/client'
import type { Command } from 'commander'
import { z } from 'zod'
import { CliError, doing } from '../errors.js'
import type { Io } from '../io.js'
import { findTeamByName } from '../lists.js'
import { hostId, labelIds } from '../live/targets.js'
import { collect, optionsOf } from '../options.js'
import { globalsOf, withClient } from '../session.js'

const TransferOptions = z.object({
  team: z.string(),
  hosts: z.array(z.string()).optional(),
  label: z.string().optional(),
  status: z.string().optional(),
  searchQuery: z.string().optional(),
})
type TransferOptions = z.output<typeof TransferOptions>
type HostFilters = z.input<typeof HostFiltersSchema>

/**
 * `fleetctl hosts transfer --team NAME (--hosts a,b | --label L --status S --search_query Q)`, as
 * Fleet's: hosts by name go through `POST /hosts/transfer`, the rest through
 * `/hosts/transfer/filter`. `--team ''` moves them to no team.
 */
export function registerHosts(program: Command, io: Io): void {
  const hosts = program.command('hosts').description('Manage Fleet hosts')
  hosts
    .command('transfer')
    .description('Transfer one or more hosts to a team')
    .requiredOption('--team <name>', "team the hosts move to ('' for no team)")
    .option('--hosts <list>', 'comma-separated hostnames, UUIDs or serials to transfer', collect)
    .option('--label <name>', 'transfer the hosts of this label')
    .option('--status <status>', 'transfer the hosts with this status')
    .option('--search_query, --search-query <query>', 'transfer the hosts this search matches')
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = optionsOf(TransferOptions, cmd)
      checkTransferFlags(opts)
      await withClient(globalsOf(cmd, io), { auth: true }, (client) => transfer(client, opts))
    })
}

function checkTransferFlags(opts: TransferOptions): void {
  const filtered = [opts.label, opts.status, opts.searchQuery].some((f) => f !== undefined)
  if (opts.hosts !== undefined && filtered) {
    throw new CliError('--hosts cannot be used along side any other flag')
  }
  if (opts.hosts === undefined && !filtered) {
    throw new CliError(
      'You need to define either --hosts, or one or more of --label, --status, --search_query',
    )
  }
}

async function transfer(client: FleetClient, opts: TransferOptions): Promise<void> {
  const teamId = await transferTeamId(client, opts.team)
  if (opts.hosts !== undefined) {
    const names = opts.hosts.flatMap((list) => list.split(',')).filter((n) => n.trim() !== '')
    const ids = await Promise.all(names.map((name) => hostId(client, name.trim())))
    await doing('could not transfer hosts', () =>
      client.call(transferHosts, { body: { team_id: teamId, hosts: ids } }),
    )
    return
  }
  const filters: HostFilters = {}
  if (opts.label !== undefined) {
    const [labelId] = await labelIds(client, [opts.label])
    filters.label_id = labelId
  }
  if (opts.status !== undefined) {
    filters.status = hostStatus(opts.status)
  }
  if (opts.searchQuery !== undefined) {
    filters.query = opts.searchQuery
  }
  await doing('could not transfer hosts', () =>
    client.call(transferHostsByFilter, { body: { team_id: teamId, filters } }),
  )
}

/** The id of the team named (`null` for `''`: no team). */
async function transferTeamId(client: FleetClient, name: string): Promise<number | null> {
  if (name === '') {
    return null
  }
  const team = await doing('looking up the team', () => findTeamByName(client, name))
  if (!team) {
    throw new CliError(`team "${name}" not found`)
  }
  return team.id
}

function hostStatus(status: string): HostFilters['status'] {
  const parsed = HostStatus.safeParse(status)
  if (!parsed.success) {
    throw new CliError(`invalid --status "${status}" (${HostStatus.options.join(', ')})`)
  }
  return parsed.data
}
