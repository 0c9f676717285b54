import { ALL_ENDPOINTS, buildOpenApi } from '@fleet/api'
import { Command, CommanderError } from 'commander'
import { configFlagValues, normalizeConfigFlags } from './cli/flags.js'
import { describeTarget, openDatabase } from './cli/runtime.js'
import { serve, type Output } from './cli/serve.js'
import { ConfigError, configKeys, loadConfig, type Config } from './config/index.js'
import { migrateToLatest, pendingMigrations } from './db/migrate.js'
import { errorMessage } from './platform/errors/index.js'
import { SERVER_VERSION } from './version.js'

const stdio: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}

function withConfigOptions(command: Command): Command {
  command.option('-c, --config <file>', 'YAML config file (env FLEET_CONFIG)')
  for (const key of configKeys()) {
    command.option(`--${key.flag} <value>`, `config ${key.path} (env ${key.env})`)
  }
  return command
}

function configFrom(options: Record<string, unknown>): Config {
  const file = typeof options.config === 'string' ? options.config : process.env.FLEET_CONFIG
  return loadConfig({ file, env: process.env, flags: configFlagValues(options) })
}

async function prepareDb(config: Config, output: Output): Promise<number> {
  const { db, target } = await openDatabase(config)
  try {
    const pending = await pendingMigrations(db)
    if (pending.length === 0) {
      output.out(`${describeTarget(target)} is up to date.`)
      return 0
    }
    for (const result of await migrateToLatest(db)) {
      output.out(`applied ${result.migrationName}`)
    }
    output.out('Migrations completed.')
    return 0
  } finally {
    await db.destroy()
  }
}

/** Entry point of the `fleet` command. Resolves with nothing; sets process.exitCode. */
export async function main(argv: string[], output: Output = stdio): Promise<void> {
  let exitCode = 0
  const program = new Command('fleet')
    .description('Fleet server: osquery and device management')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => output.out(s.trimEnd()),
      writeErr: (s) => output.err(s.trimEnd()),
    })
  withConfigOptions(program.command('serve').description('Run the Fleet server')).action(
    async (options: Record<string, unknown>) => {
      exitCode = await serve(configFrom(options), output)
    },
  )
  const prepare = program.command('prepare').description('Prepare the database')
  withConfigOptions(prepare.command('db').description('Apply pending database migrations'))
    .option('--no-prompt', 'accepted for compatibility with Fleet; never prompts')
    .action(async (options: Record<string, unknown>) => {
      exitCode = await prepareDb(configFrom(options), output)
    })
  program
    .command('version')
    .description('Print the version')
    .action(() => {
      output.out(`fleet version ${SERVER_VERSION}`)
    })
  program
    .command('openapi')
    .description('Print the REST API OpenAPI document')
    .action(() => {
      output.out(JSON.stringify(buildOpenApi(ALL_ENDPOINTS, SERVER_VERSION), null, 2))
    })
  try {
    await program.parseAsync(normalizeConfigFlags(argv), { from: 'user' })
  } catch (err) {
    if (err instanceof CommanderError) {
      exitCode = err.exitCode
    } else if (err instanceof ConfigError) {
      output.err(`fleet: ${err.message}`)
      exitCode = 1
    } else {
      output.err(`fleet: ${errorMessage(err)}`)
      exitCode = 1
    }
  }
  process.exitCode = exitCode
}
