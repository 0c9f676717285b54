import { getConfig, getGlobalEnrollSecrets, type Team, type User } from '@fleet/api'
import type { Command } from 'commander'
import { z } from 'zod'
import { doing } from '../errors.js'
import type { Io } from '../io.js'
import { listAllTeams, listAllUsers } from '../lists.js'
import { formatFlags, FormatOptions, optionsOf } from '../options.js'
import {
  configSpecOf,
  enrollSecretSpecOf,
  outputFormat,
  renderJsonLines,
  renderTable,
  renderYamlDocs,
  specDoc,
  teamSpecOf,
  type OutputFormat,
} from '../render.js'
import { globalsOf, withClient } from '../session.js'
import { userRolesSpecOf } from '../user-roles.js'
import { registerGetCarves } from './get-carves.js'
import { registerGetHosts } from './get-hosts.js'
import { registerGetLabels } from './get-labels.js'
import { registerGetMdmApple } from './mdm-apple.js'
import { registerGetMdmCommands } from './mdm-commands.js'
import { registerGetPacks } from './get-packs.js'
import { registerGetQueries } from './get-queries.js'
import { registerGetSoftware } from './get-software.js'

const TeamsOptions = FormatOptions.extend({ name: z.string().optional() })
const ConfigOptions = FormatOptions.extend({ includeServerConfig: z.boolean().optional() })

/**
 * `fleetctl get labels|queries|packs|hosts|carves|carve|software|teams|users|user_roles|enroll_secret|
 * config`.
 */
export function registerGet(program: Command, io: Io): void {
  const get = program.command('get').description('Get/list resources')
  registerGetLabels(get, io)
  registerGetQueries(get, io)
  registerGetPacks(get, io)
  registerGetHosts(get, io)
  registerGetCarves(get, io)
  registerGetSoftware(get)
  registerGetMdmApple(get, io)
  registerGetMdmCommands(get, io)

  formatFlags(get.command('teams').aliases(['team', 't']).description('List teams'))
    .option('--name <name>', 'only teams whose name contains this')
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = optionsOf(TeamsOptions, cmd)
      const format = outputFormat(opts, 'table')
      const teams = await withClient(globalsOf(cmd, io), { auth: true }, (client) =>
        doing('could not list teams', () => listAllTeams(client, opts.name)),
      )
      io.stdout.write(renderTeams(teams, format))
    })

  formatFlags(get.command('users').aliases(['user', 'u']).description('List users')).action(
    async (_opts: unknown, cmd: Command) => {
      const format = outputFormat(optionsOf(FormatOptions, cmd), 'table')
      const users = await withClient(globalsOf(cmd, io), { auth: true }, (client) =>
        doing('could not list users', () => listAllUsers(client)),
      )
      io.stdout.write(renderUsers(users, format))
    },
  )

  formatFlags(
    get
      .command('user_roles')
      .aliases(['user_role', 'ur'])
      .description('List global and team roles for users (a spec for apply with --yaml/--json)'),
  ).action(async (_opts: unknown, cmd: Command) => {
    const format = outputFormat(optionsOf(FormatOptions, cmd), 'table')
    const users = await withClient(globalsOf(cmd, io), { auth: true }, (client) =>
      doing('could not list users', () => listAllUsers(client)),
    )
    io.stdout.write(renderUserRoles(users, format))
  })

  formatFlags(
    get
      .command('enroll_secret')
      .aliases(['enroll_secrets', 'enroll-secret', 'enroll-secrets'])
      .description('Retrieve the global osquery enroll secrets (a spec for apply)'),
  ).action(async (_opts: unknown, cmd: Command) => {
    const format = outputFormat(optionsOf(FormatOptions, cmd), 'yaml')
    const res = await withClient(globalsOf(cmd, io), { auth: true }, (client) =>
      client.call(getGlobalEnrollSecrets),
    )
    const doc = specDoc('enroll_secret', enrollSecretSpecOf(res.spec.secrets))
    io.stdout.write(format === 'json' ? renderJsonLines([doc]) : renderYamlDocs([doc]))
  })

  formatFlags(
    get.command('config').description('Retrieve the Fleet app configuration (a spec for apply)'),
  )
    .option('--include-server-config', "include the server's own configuration (read-only)")
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = optionsOf(ConfigOptions, cmd)
      const format = outputFormat(opts, 'yaml')
      const config = await withClient(globalsOf(cmd, io), { auth: true }, (client) =>
        client.call(getConfig),
      )
      const doc = specDoc('config', configSpecOf(config, opts.includeServerConfig ?? false))
      io.stdout.write(format === 'json' ? renderJsonLines([doc]) : renderYamlDocs([doc]))
    })
}

/**
 * Teams as a table; as JSON, one `kind: team` document per team with the full team; as YAML, one
 * appliable team spec per team.
 */
export function renderTeams(teams: readonly Team[], format: OutputFormat): string {
  if (teams.length === 0) {
    return 'No teams found\n'
  }
  switch (format) {
    case 'table':
      return renderTable(
        ['Team name', 'Host count', 'User count'],
        teams.map((t) => [t.name, String(t.host_count), String(t.user_count)]),
      )
    case 'json':
      return renderJsonLines(teams.map((team) => specDoc('team', { team })))
    case 'yaml':
      return renderYamlDocs(teams.map((team) => specDoc('team', { team: teamSpecOf(team) })))
  }
}

/** Users as a table, or the user objects as JSON lines / YAML documents. */
export function renderUsers(users: readonly User[], format: OutputFormat): string {
  if (users.length === 0) {
    return 'No users found\n'
  }
  switch (format) {
    case 'table':
      return renderTable(
        ['Name', 'Email', 'Global role', 'Teams', 'API only'],
        users.map((u) => [
          u.name,
          u.email,
          u.global_role ?? '',
          u.teams.map((t) => `${t.name}: ${t.role}`).join(', '),
          u.api_only ? 'yes' : 'no',
        ]),
      )
    case 'json':
      return renderJsonLines(users)
    case 'yaml':
      return renderYamlDocs(users)
  }
}

/** Fleet's user roles table (name, global role), or one `kind: user_roles` spec for apply. */
export function renderUserRoles(users: readonly User[], format: OutputFormat): string {
  if (users.length === 0) {
    return 'No users found\n'
  }
  const doc = specDoc('user_roles', userRolesSpecOf(users))
  switch (format) {
    case 'table':
      return renderTable(
        ['User', 'Global role'],
        users.map((u) => [u.name, u.global_role ?? '']),
      )
    case 'json':
      return renderJsonLines([doc])
    case 'yaml':
      return renderYamlDocs([doc])
  }
}
