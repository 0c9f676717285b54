import { Role, createUser, type CreateUserRequest } from '@fleet/api'
import type { Command } from 'commander'
import { z } from 'zod'
import { CliError, doing } from '../errors.js'
import { println, type Io } from '../io.js'
import { collect, optionsOf } from '../options.js'
import { globalsOf, withClient } from '../session.js'
import { askNewPassword } from './setup.js'

const CreateOptions = z.object({
  name: z.string(),
  email: z.string(),
  password: z.string().optional(),
  sso: z.boolean().optional(),
  apiOnly: z.boolean().optional(),
  globalRole: z.string().optional(),
  team: z.array(z.string()).optional(),
})
type CreateOptions = z.output<typeof CreateOptions>

/** `fleetctl user create`: a user with a global role (observer by default) or team roles. */
export function registerUser(program: Command, io: Io): void {
  const user = program.command('user').description('Manage Fleet users')
  user
    .command('create')
    .description(
      'Create a user. By default the user logs in with a password and is a global observer.',
    )
    .requiredOption('--name <name>', "user's full name or nickname")
    .requiredOption('--email <email>', 'email of the new user')
    .option('--password <password>', 'password of the new user (prompted for when omitted)')
    .option('--sso', 'the user logs in via SSO (no password)')
    .option('--api-only', 'make an API-only user; prints its API token')
    .option('--global-role <role>', `global role: ${Role.options.join(', ')} (default "observer")`)
    .option('-t, --team <team_id:role>', 'team role, repeatable; excludes --global-role', collect)
    .action(async (_opts: unknown, cmd: Command) => {
      const globals = globalsOf(cmd, io)
      const opts = optionsOf(CreateOptions, cmd)
      const roles = rolesOf(opts)
      if (opts.sso && opts.password !== undefined) {
        throw new CliError('Password may not be provided for SSO users.')
      }
      const password = opts.sso ? undefined : (opts.password ?? (await askNewPassword(io)))
      const res = await withClient(globals, { auth: true }, (client) =>
        doing('Failed to create user', () =>
          client.call(createUser, {
            body: {
              name: opts.name,
              email: opts.email,
              password,
              sso_enabled: opts.sso ?? false,
              api_only: opts.apiOnly ?? false,
              // A password chosen by an admin must be changed at first login, except where
              // the user can't (API-only) or has none (SSO).
              admin_forced_password_reset: !opts.sso && !opts.apiOnly,
              ...roles,
            },
          }),
        ),
      )
      if (opts.apiOnly && res.token) {
        println(io.stdout, `Success! The API token for your new user is: ${res.token}`)
      }
    })
}

/** `--global-role` xor `--team id:role ...`; neither means global observer. */
export function rolesOf(
  opts: Pick<CreateOptions, 'globalRole' | 'team'>,
): Pick<CreateUserRequest, 'global_role' | 'teams'> {
  const teams = opts.team ?? []
  if (opts.globalRole !== undefined && teams.length > 0) {
    throw new CliError('Users may not have global_role and teams.')
  }
  if (teams.length > 0) {
    return { global_role: null, teams: teams.map(parseTeamRole) }
  }
  const role = Role.safeParse(opts.globalRole ?? 'observer')
  if (!role.success) {
    throw new CliError(`'${opts.globalRole}' is not a valid global role`)
  }
  return { global_role: role.data }
}

function parseTeamRole(value: string): { id: number; role: Role } {
  const [id, role, ...rest] = value.split(':')
  if (id === undefined || role === undefined || rest.length > 0) {
    throw new CliError(`Unable to parse '${value}' as team_id:role`)
  }
  const teamId = Number(id.trim())
  if (!Number.isInteger(teamId) || teamId <= 0) {
    throw new CliError(`Unable to parse team_id '${id}' in '${value}'`)
  }
  const parsed = Role.safeParse(role.trim())
  if (!parsed.success) {
    throw new CliError(`'${role}' is not a valid team role`)
  }
  return { id: teamId, role: parsed.data }
}
