import { Command, CommanderError } from 'commander'
import { queryCommand } from './osquery/engine/index.js'
import { osquerydCommand } from './osquery/daemon/index.js'
import { desktopCommand, runCommand } from './orbit/index.js'
import { AGENT_VERSION } from './version.js'

/**
 * The `fleetd` command line: `run` (orbit), `desktop` (the My device URL), `osqueryd` (the engine
 * daemon), `query` (one-off SQL).
 */
export function fleetdProgram(): Command {
  return new Command('fleetd')
    .description("Fleet's agent: orbit plus an osquery-compatible engine")
    .version(AGENT_VERSION)
    .addCommand(runCommand())
    .addCommand(desktopCommand())
    .addCommand(osquerydCommand())
    .addCommand(queryCommand())
}

/** The `fleetd` entry point (bin/fleetd.js). */
export async function main(argv: string[]): Promise<void> {
  const program = fleetdProgram().exitOverride()
  try {
    await program.parseAsync(argv, { from: 'user' })
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode
      return
    }
    process.stderr.write(`fleetd: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 1
  }
}
