import { getHostByIdentifier, type HostDetailJson, type HostSummaryJson } from '@fleet/api'
import type { Command } from 'commander'
import { z } from 'zod'
import { CliError, doing } from '../errors.js'
import type { Io } from '../io.js'
import { listAllHosts, teamIdOf } from '../lists.js'
import { formatFlags, FormatOptions, optionsOf } from '../options.js'
import {
  outputFormat,
  renderJsonLines,
  renderTable,
  renderYamlDocs,
  specDoc,
  type OutputFormat,
} from '../render.js'
import { globalsOf, withClient } from '../session.js'

const HostsOptions = FormatOptions.extend({ team: z.string().optional() })

/**
 * `fleetctl get hosts [identifier]`: every host (of a team with `--team`), or the one a hostname,
 * UUID, serial number or osquery identifier names.
 */
export function registerGetHosts(get: Command, io: Io): void {
  formatFlags(
    get
      .command('hosts')
      .aliases(['host', 'h', 'H'])
      .argument('[identifier]', 'hostname, UUID, serial or osquery identifier of one host')
      .description('List hosts, or show one host in detail')
      .option('--team <id or name>', 'only hosts of this team (0: hosts on no team)'),
  ).action(async (identifier: string | undefined, _opts: unknown, cmd: Command) => {
    const opts = optionsOf(HostsOptions, cmd)
    const globals = globalsOf(cmd, io)
    if (identifier === undefined) {
      const format = outputFormat(opts, 'table')
      const hosts = await withClient(globals, { auth: true }, async (client) => {
        const teamId = opts.team === undefined ? undefined : await teamIdOf(client, opts.team)
        return doing('could not list hosts', () => listAllHosts(client, { teamId }))
      })
      io.stdout.write(renderHosts(hosts, format))
      return
    }
    if (opts.team !== undefined) {
      throw new CliError('cannot provide both --team and a host identifier')
    }
    const format = outputFormat(opts, 'yaml')
    const res = await withClient(globals, { auth: true }, (client) =>
      doing('could not get host', () =>
        client.call(getHostByIdentifier, { params: { identifier } }),
      ),
    )
    io.stdout.write(renderHostDetail(res.host, format))
  })
}

/**
 * Hosts as Fleet's table (UUID, hostname, platform, osquery version, status), or one `kind: host`
 * document per host. Like Fleet, only the table says when there are none.
 */
export function renderHosts(hosts: readonly HostSummaryJson[], format: OutputFormat): string {
  switch (format) {
    case 'table':
      if (hosts.length === 0) {
        return 'No hosts found\n'
      }
      return renderTable(
        ['uuid', 'hostname', 'platform', 'osquery version', 'status'],
        hosts.map((h) => [h.uuid, h.display_text, h.platform, h.osquery_version, h.status]),
      )
    case 'json':
      return renderJsonLines(hosts.map((host) => specDoc('host', host)))
    case 'yaml':
      return renderYamlDocs(hosts.map((host) => specDoc('host', host)))
  }
}

/** One host in detail, as a `kind: host` document (YAML unless `--json`). */
export function renderHostDetail(host: HostDetailJson, format: OutputFormat): string {
  const doc = specDoc('host', host)
  return format === 'json' ? renderJsonLines([doc]) : renderYamlDocs([doc])
}
