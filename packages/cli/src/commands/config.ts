import { resolve } from 'node:path'
import type { Command } from 'commander'
import { z } from 'zod'
import {
  CONFIG_KEYS,
  contextValue,
  isConfigKey,
  readContext,
  updateContext,
  type FleetContext,
} from '../config-file.js'
import { CliError } from '../errors.js'
import { println, type Io } from '../io.js'
import { optionsOf } from '../options.js'
import { globalsOf } from '../session.js'

const SetOptions = z.object({
  address: z.string().optional(),
  email: z.string().optional(),
  token: z.string().optional(),
  tlsSkipVerify: z.boolean().optional(),
  rootca: z.string().optional(),
  urlPrefix: z.string().optional(),
})

/** `fleetctl config set|get`: the contexts in the config file. */
export function registerConfig(program: Command, io: Io): void {
  const config = program.command('config').description('Get and set fleetctl configuration options')

  config
    .command('set')
    .description('Set config options of a context (creating it)')
    .option('--address <url>', 'address of the Fleet server')
    .option('--email <email>', 'email to use when connecting to the Fleet server')
    .option('--token <token>', 'Fleet API token')
    .option('--tls-skip-verify', 'skip TLS certificate validation')
    .option('--no-tls-skip-verify', 'validate TLS certificates again')
    .option('--rootca <path>', 'PEM file of the CA chain used to verify the Fleet server')
    .option('--url-prefix <prefix>', 'URL prefix of the Fleet server (its server.url_prefix)')
    .action(async (_opts: unknown, cmd: Command) => {
      const globals = globalsOf(cmd, io)
      const opts = optionsOf(SetOptions, cmd)
      const changes = contextChanges(opts, io.cwd)
      if (changes.length === 0) {
        cmd.help({ error: true })
      }
      const patch: Partial<FleetContext> = Object.fromEntries(changes.map((c) => [c.key, c.value]))
      const { created } = await updateContext(globals.configPath, globals.contextName, patch)
      if (created) {
        println(
          io.stdout,
          `[+] Context "${globals.contextName}" not found, creating it with default values`,
        )
      }
      for (const change of changes) {
        println(
          io.stdout,
          `[+] Set the ${change.key} config key to ${change.shown} in the "${globals.contextName}" context`,
        )
      }
    })

  config
    .command('get')
    .description('Show a config option of a context, or all of them')
    .argument('[key]', `one of ${CONFIG_KEYS.join(', ')}`)
    .action(async (key: string | undefined, _opts: unknown, cmd: Command) => {
      const globals = globalsOf(cmd, io)
      if (key !== undefined && !isConfigKey(key)) {
        throw new CliError(`"${key}" is an invalid key (valid keys: ${CONFIG_KEYS.join(', ')})`)
      }
      const context = await readContext(globals.configPath, globals.contextName)
      const keys = key === undefined ? CONFIG_KEYS : [key]
      for (const k of keys) {
        // A full listing redacts the token; `config get token` prints it.
        const value =
          key === undefined && k === 'token' && context?.token
            ? '<redacted>'
            : contextValue(context, k)
        println(io.stdout, `  ${globals.contextName}.${k} => ${value}`)
      }
    })
}

interface Change {
  key: keyof FleetContext & string
  value: string | boolean
  shown: string
}

function contextChanges(opts: z.output<typeof SetOptions>, cwd: string): Change[] {
  const changes: Change[] = []
  const text = (
    key: Change['key'],
    value: string | undefined,
    shown = JSON.stringify(value),
  ): void => {
    if (value !== undefined && value !== '') {
      changes.push({ key, value, shown })
    }
  }
  text('address', opts.address?.replace(/\/+$/, ''))
  text('email', opts.email)
  // Redacted: this output may end up in CI logs.
  text('token', opts.token, '"<redacted>"')
  if (opts.tlsSkipVerify !== undefined) {
    changes.push({
      key: 'tls-skip-verify',
      value: opts.tlsSkipVerify,
      shown: `"${opts.tlsSkipVerify}"`,
    })
  }
  // Stored absolute, so the context works from any directory.
  text('rootca', opts.rootca === undefined ? undefined : resolve(cwd, opts.rootca))
  text('url-prefix', opts.urlPrefix)
  return changes
}
