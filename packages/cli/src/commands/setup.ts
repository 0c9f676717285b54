import { setup } from '@fleet/api'
import type { Command } from 'commander'
import { z } from 'zod'
import { updateContext } from '../config-file.js'
import { CliError, doing } from '../errors.js'
import { println, type Io } from '../io.js'
import { optionsOf } from '../options.js'
import { globalsOf, withClient } from '../session.js'

const SetupOptions = z.object({
  email: z.string(),
  name: z.string(),
  password: z.string().optional(),
  orgName: z.string(),
})

/** `fleetctl setup`: creates the first admin and the organization, then stores the token. */
export function registerSetup(program: Command, io: Io): void {
  program
    .command('setup')
    .description('Set up a new Fleet instance: its first admin user and organization')
    .requiredOption('--email <email>', 'email of the admin user to create')
    .requiredOption('--name <name>', 'name or nickname of the admin user to create')
    .option('--password <password>', 'password for the admin user (prompted for when omitted)')
    .requiredOption('--org-name <name>', 'name of the organization')
    .action(async (_opts: unknown, cmd: Command) => {
      const globals = globalsOf(cmd, io)
      const opts = optionsOf(SetupOptions, cmd)
      const password = opts.password ?? (await askNewPassword(io))
      const res = await withClient(globals, { auth: false }, (client) =>
        doing('error setting up Fleet', () =>
          client.call(setup, {
            body: {
              admin: {
                admin: true,
                email: opts.email,
                name: opts.name,
                password,
                password_confirmation: password,
              },
              org_info: { org_name: opts.orgName },
              server_url: client.address,
            },
          }),
        ),
      )
      await updateContext(globals.configPath, globals.contextName, {
        email: res.admin.email,
        token: res.token,
      })
      println(io.stdout, '[+] Fleet setup successful and context configured!')
    })
}

/** Prompts twice for a new password; refuses an empty or mismatched one. */
export async function askNewPassword(io: Io, label = 'Password'): Promise<string> {
  const password = await io.prompt.ask(`${label}: `, { secret: true })
  if (password === '') {
    throw new CliError('Password may not be empty.')
  }
  const confirmation = await io.prompt.ask(`Confirm ${label.toLowerCase()}: `, { secret: true })
  if (password !== confirmation) {
    throw new CliError('Passwords do not match.')
  }
  return password
}
