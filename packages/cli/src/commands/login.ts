import { ErrorCode, login, logout } from '@fleet/api'
import { FleetApiError } from '@fleet/client'
import type { Command } from 'commander'
import { z } from 'zod'
import { updateContext } from '../config-file.js'
import { CliError, doing } from '../errors.js'
import { println, type Io } from '../io.js'
import { optionsOf } from '../options.js'
import { globalsOf, withClient } from '../session.js'

const LoginOptions = z.object({ email: z.string().optional(), password: z.string().optional() })

/** `fleetctl login` and `fleetctl logout`: the session token of the selected context. */
export function registerLogin(program: Command, io: Io): void {
  program
    .command('login')
    .description('Log in to Fleet and store the session token in the context')
    .option('--email <email>', 'email to log in with (prompted for when omitted)')
    .option('--password <password>', 'password to log in with (prompted for when omitted)')
    .action(async (_opts: unknown, cmd: Command) => {
      const globals = globalsOf(cmd, io)
      const opts = optionsOf(LoginOptions, cmd)
      if (opts.email === undefined && opts.password === undefined) {
        println(io.stderr, 'Log in using the standard Fleet credentials.')
      }
      const email = opts.email ?? (await io.prompt.ask('Email: '))
      const password = opts.password ?? (await io.prompt.ask('Password: ', { secret: true }))
      if (email === '' || password === '') {
        throw new CliError('Login failed: email and password are required')
      }
      const res = await withClient(globals, { auth: false }, (client) =>
        doing('Login failed', () => client.call(login, { body: { email, password } })),
      )
      await updateContext(globals.configPath, globals.contextName, {
        email: res.user.email,
        token: res.token,
      })
      println(io.stdout, '[+] Fleet login successful and context configured!')
      if (res.user.force_password_reset) {
        println(
          io.stderr,
          '[!] This user must reset their password in the Fleet UI before using fleetctl.',
        )
      }
    })

  program
    .command('logout')
    .description('Log out of Fleet and clear the token of the context')
    .action(async (_opts: unknown, cmd: Command) => {
      const globals = globalsOf(cmd, io)
      await withClient(globals, { auth: true }, (client) =>
        doing('error logging out', async () => {
          try {
            await client.call(logout)
          } catch (err) {
            // An expired or revoked token is as logged out as it gets: just forget it.
            if (!(err instanceof FleetApiError && err.code === ErrorCode.AUTH_REQUIRED)) {
              throw err
            }
          }
        }),
      )
      await updateContext(globals.configPath, globals.contextName, { token: '' })
      println(io.stdout, '[+] Fleet logout successful and local token cleared!')
    })
}
