import type { Command } from 'commander'
import { CliError } from '../errors.js'
import { formatFlags } from '../options.js'

/**
 * `fleetctl get software [--team ID] [--versions]`, accepted with Fleet's flags, but this server
 * has no software inventory yet (Fleet's `GET /software/titles` and `/software/versions`): the
 * command says so instead of printing an empty list that would read as "no software installed".
 */
export function registerGetSoftware(get: Command): void {
  formatFlags(
    get
      .command('software')
      .description('List software titles (needs the server software inventory)')
      .option('--team <id>', 'only software on the hosts of this team')
      .option('--versions', 'list software versions instead of titles'),
  ).action(() => {
    throw new CliError(
      'this Fleet server has no software inventory yet: the server feature behind GET /api/latest/fleet/software/titles (and /software/versions) is not built, so fleetctl get software cannot list anything',
    )
  })
}
