import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import {
  getHostByIdentifier,
  getMdmCommandResults,
  listMdmCommands,
  runMdmCommand,
  type MdmCommand,
  type MdmCommandResult,
} from '@fleet/api'
import type { Command } from 'commander'
import { z } from 'zod'
import { CliError, doing, isNotFound } from '../errors.js'
import { println, type Io } from '../io.js'
import { optionsOf } from '../options.js'
import { renderTable } from '../render.js'
import { globalsOf, withClient } from '../session.js'

/** Fleet's message for a host identifier that matches no host (fleetctl's contributing guide). */
export const NO_HOSTS_TARGETED =
  'No hosts targeted. Make sure you provide a valid hostname, UUID, osquery host ID, or node key.'

const RunOptions = z.object({ hosts: z.string(), payload: z.string() })

/**
 * `fleetctl mdm run-command --hosts h1,h2 --payload FILE`, as Fleet's: resolves each host
 * identifier to its UUID, sends the plist (base64) to `POST /commands/run` and says how to see
 * the results. The server decides whether the hosts are MDM-enrolled (its message is printed).
 */
export function registerMdmRunCommand(mdm: Command, io: Io): void {
  mdm
    .command('run-command')
    .alias('run_command')
    .description('Run a custom MDM command on one or more hosts.')
    .requiredOption(
      '--hosts <identifiers>',
      'Hosts specified by hostname, uuid, osquery_host_id or node_key that you want to target.',
    )
    .requiredOption(
      '--payload <path>',
      'A path to an XML file containing the raw MDM request payload.',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = optionsOf(RunOptions, cmd)
      const identifiers = opts.hosts
        .split(',')
        .map((h) => h.trim())
        .filter((h) => h !== '')
      if (identifiers.length === 0) {
        throw new CliError(NO_HOSTS_TARGETED)
      }
      const payload = await readFile(resolve(io.cwd, opts.payload)).catch((err: unknown) => {
        throw new CliError(`read payload: ${err instanceof Error ? err.message : String(err)}`)
      })
      const result = await withClient(globalsOf(cmd, io), { auth: true }, async (client) => {
        const uuids: string[] = []
        for (const identifier of identifiers) {
          try {
            const { host } = await client.call(getHostByIdentifier, { params: { identifier } })
            uuids.push(host.uuid)
          } catch (err) {
            if (isNotFound(err)) {
              throw new CliError(NO_HOSTS_TARGETED)
            }
            throw err
          }
        }
        return client.call(runMdmCommand, {
          body: { command: payload.toString('base64'), host_uuids: uuids },
        })
      })
      println(
        io.stdout,
        '\nHosts will run the command the next time they check into Fleet.\n\n' +
          'Copy and run this command to see results:\n\n' +
          `fleetctl get mdm-command-results --id=${result.command_uuid}`,
      )
    })
}

const CommandsOptions = z.object({
  host: z.string().optional(),
  type: z.string().optional(),
})
const ResultsOptions = z.object({ id: z.string() })

/** `fleetctl get mdm-commands [--host H] [--type T]` and `get mdm-command-results --id UUID`. */
export function registerGetMdmCommands(get: Command, io: Io): void {
  get
    .command('mdm-commands')
    .alias('mdm_commands')
    .description('List the MDM commands run on your hosts (newest first).')
    .option('--host <identifier>', 'only commands of this host (hostname, UUID or serial)')
    .option('--type <request type>', 'only commands of this request type')
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = optionsOf(CommandsOptions, cmd)
      const res = await withClient(globalsOf(cmd, io), { auth: true }, (client) =>
        doing('could not list MDM commands', () =>
          client.call(listMdmCommands, {
            query: {
              ...(opts.host !== undefined && { host_identifier: opts.host }),
              ...(opts.type !== undefined && { request_type: opts.type }),
            },
          }),
        ),
      )
      io.stdout.write(renderMdmCommands(res.results))
    })

  get
    .command('mdm-command-results')
    .alias('mdm_command_results')
    .description('Retrieve results for a specific MDM command.')
    .requiredOption('--id <uuid>', 'The ID of the MDM command to retrieve results for.')
    .action(async (_opts: unknown, cmd: Command) => {
      const { id } = optionsOf(ResultsOptions, cmd)
      const res = await withClient(globalsOf(cmd, io), { auth: true }, async (client) => {
        try {
          return await client.call(getMdmCommandResults, { query: { command_uuid: id } })
        } catch (err) {
          if (isNotFound(err)) {
            throw new CliError(`The command doesn't exist. Please provide a valid command ID.`)
          }
          throw err
        }
      })
      io.stdout.write(renderMdmCommandResults(res.results))
    })
}

/** Fleet's commands table; its hint when there are none. */
export function renderMdmCommands(commands: readonly MdmCommand[]): string {
  if (commands.length === 0) {
    return "You haven't run any MDM commands. Run MDM commands with the `fleetctl mdm run-command --help` command.\n"
  }
  return renderTable(
    ['UUID', 'TIME', 'TYPE', 'STATUS', 'HOSTNAME'],
    commands.map((c) => [c.command_uuid, c.updated_at, c.request_type, c.status, c.hostname]),
  )
}

/** One row per host; the device's answer (a plist) printed in full under the table. */
export function renderMdmCommandResults(results: readonly MdmCommandResult[]): string {
  if (results.length === 0) {
    return 'No results for this command yet: the hosts have not received it.\n'
  }
  const table = renderTable(
    ['ID', 'TIME', 'TYPE', 'STATUS', 'HOSTNAME'],
    results.map((r) => [r.command_uuid, r.updated_at, r.request_type, r.status, r.hostname]),
  )
  const answers = results
    .filter((r) => r.result !== '')
    .map((r) => `--- ${r.hostname} (${r.host_uuid})\n${Buffer.from(r.result, 'base64').toString()}`)
  return answers.length === 0 ? table : `${table}\n${answers.join('\n')}\n`
}
