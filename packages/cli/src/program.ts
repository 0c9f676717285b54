import { Command } from 'commander'
import { registerApply } from './commands/apply.js'
import { registerConfig } from './commands/config.js'
import { registerDelete } from './commands/delete.js'
import { registerGet } from './commands/get.js'
import { registerHosts } from './commands/hosts.js'
import { registerLogin } from './commands/login.js'
import { registerMdmApple } from './commands/mdm-apple.js'
import { registerPreview } from './commands/preview.js'
import { registerQuery } from './commands/query.js'
import { registerSetup } from './commands/setup.js'
import { registerTrigger } from './commands/trigger.js'
import { registerUser } from './commands/user.js'
import type { Io } from './io.js'
import { VERSION } from './version.js'

/**
 * The `fleetctl` command tree. Output goes through `io`; commander's own failures (unknown
 * option, `--help`) surface as `CommanderError` for `run` to turn into an exit code.
 */
export function buildProgram(io: Io): Command {
  const program = new Command('fleetctl')
    .description('CLI for operating Fleet')
    .version(VERSION, '-v, --version', 'print the fleetctl version')
    .option('--config <path>', 'path to the fleetctl config file (default: ~/.fleet/config)')
    .option('--context <name>', 'name of the fleetctl config context to use (default: "default")')
    .option('--debug', 'print stack traces of unexpected errors')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run with --help for usage)')
  registerConfig(program, io)
  registerSetup(program, io)
  registerLogin(program, io)
  registerGet(program, io)
  registerApply(program, io)
  registerDelete(program, io)
  registerUser(program, io)
  registerPreview(program, io)
  registerQuery(program, io)
  registerHosts(program, io)
  registerTrigger(program, io)
  registerMdmApple(program, io)
  return program
}
