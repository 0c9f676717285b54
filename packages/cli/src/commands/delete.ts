import {
  applyGlobalEnrollSecrets,
  deleteGlobalPolicies,
  deleteLabelByName,
  deletePackByName,
  deleteQueryByName,
  deleteTeam,
  deleteTeamPolicies,
  getGlobalEnrollSecrets,
  listGlobalPolicies,
  listTeamPolicies,
} from '@fleet/api'
import type { FleetClient } from '@fleet/client'
import type { Command } from 'commander'
import { z } from 'zod'
import { CliError, doing, isNotFound } from '../errors.js'
import { println, type Io } from '../io.js'
import { findTeamByName } from '../lists.js'
import { optionsOf } from '../options.js'
import { globalsOf, withClient } from '../session.js'
import { readSpecFile } from '../spec-file.js'
import {
  SpecError,
  type EnrollSecretDoc,
  type LabelDoc,
  type PackDoc,
  type PolicyDoc,
  type QueryDoc,
  type TeamDoc,
} from '../specs.js'

const DeleteOptions = z.object({ f: z.string() })

/**
 * `fleetctl delete -f file.yml`: deletes the packs, queries, policies, labels and teams named in specs,
 * and removes the secrets of an `enroll_secret` spec from the global set. A `config` spec is
 * refused before anything is deleted.
 */
export function registerDelete(program: Command, io: Io): void {
  program
    .command('delete')
    .description(
      'Delete the packs, queries, policies, labels, teams and enroll secrets named in a YAML spec file',
    )
    .requiredOption('-f <file>', 'the YAML file of specs to delete')
    .action(async (_opts: unknown, cmd: Command) => {
      const globals = globalsOf(cmd, io)
      const { f: file } = optionsOf(DeleteOptions, cmd)
      const specs = await readSpecFile(file, io.cwd)
      if (specs.config) {
        throw new SpecError(file, specs.config.index, 'config', "config can't be deleted")
      }
      const [roles] = specs.userRoles
      if (roles) {
        throw new SpecError(file, roles.index, 'user_roles', "user roles can't be deleted")
      }
      const { labels, enrollSecret, teams, queries, policies, packs } = specs
      await withClient(globals, { auth: true }, async (client) => {
        for (const doc of packs) {
          await deletePackDoc(client, doc, io)
        }
        for (const doc of queries) {
          await deleteQueryDoc(client, doc, io)
        }
        for (const doc of policies) {
          await deletePolicyDoc(client, doc, io)
        }
        for (const doc of labels) {
          await deleteLabelDoc(client, doc, io)
        }
        for (const doc of teams) {
          await deleteTeamDoc(client, doc, io)
        }
        if (enrollSecret) {
          await deleteSecrets(client, enrollSecret, io)
        }
      })
    })
}

/** Deletes by name, saying so, and that it doesn't exist on a 404 (Fleet's fleetctl output). */
async function deleteNamed(
  what: 'label' | 'pack',
  name: string,
  remove: () => Promise<unknown>,
  io: Io,
): Promise<void> {
  println(io.stdout, `[+] deleting ${what} "${name}"`)
  try {
    await remove()
  } catch (err) {
    if (!isNotFound(err)) {
      throw new CliError(`deleting ${what} "${name}"`, { cause: err })
    }
    println(io.stdout, `[!] ${what} "${name}" doesn't exist`)
  }
}

async function deleteLabelDoc(client: FleetClient, doc: LabelDoc, io: Io): Promise<void> {
  const name = doc.spec.name
  await deleteNamed('label', name, () => client.call(deleteLabelByName, { params: { name } }), io)
}

async function deletePackDoc(client: FleetClient, doc: PackDoc, io: Io): Promise<void> {
  const name = doc.spec.name
  await deleteNamed('pack', name, () => client.call(deletePackByName, { params: { name } }), io)
}

/** The id of the team a query or policy spec names ('' = global), or null when it doesn't exist. */
async function specTeamId(client: FleetClient, team: string): Promise<number | undefined | null> {
  if (team === '') {
    return undefined
  }
  const found = await doing(`looking up team "${team}"`, () => findTeamByName(client, team))
  return found ? found.id : null
}

async function deleteQueryDoc(client: FleetClient, doc: QueryDoc, io: Io): Promise<void> {
  const { name, team } = doc.spec
  const teamId = await specTeamId(client, team)
  if (teamId === null) {
    println(io.stdout, `[!] team "${team}" of query "${name}" doesn't exist`)
    return
  }
  println(io.stdout, `[+] deleting query "${name}"`)
  try {
    await client.call(deleteQueryByName, { params: { name }, query: { team_id: teamId } })
  } catch (err) {
    if (!isNotFound(err)) {
      throw new CliError(`deleting query "${name}"`, { cause: err })
    }
    println(io.stdout, `[!] query "${name}" doesn't exist`)
  }
}

async function deletePolicyDoc(client: FleetClient, doc: PolicyDoc, io: Io): Promise<void> {
  const { name, team } = doc.spec
  const teamId = await specTeamId(client, team)
  if (teamId === null) {
    println(io.stdout, `[!] team "${team}" of policy "${name}" doesn't exist`)
    return
  }
  const listed = await doing('listing policies', async () =>
    teamId === undefined
      ? (await client.call(listGlobalPolicies, { query: { query: name, per_page: 10_000 } }))
          .policies
      : (
          await client.call(listTeamPolicies, {
            params: { id: teamId },
            query: { query: name, per_page: 10_000 },
          })
        ).policies,
  )
  const policy = listed.find((p) => p.name === name)
  if (!policy) {
    println(io.stdout, `[!] policy "${name}" doesn't exist`)
    return
  }
  println(io.stdout, `[+] deleting policy "${name}"`)
  await doing(`deleting policy "${name}"`, () =>
    teamId === undefined
      ? client.call(deleteGlobalPolicies, { body: { ids: [policy.id] } })
      : client.call(deleteTeamPolicies, { params: { id: teamId }, body: { ids: [policy.id] } }),
  )
}

async function deleteTeamDoc(client: FleetClient, doc: TeamDoc, io: Io): Promise<void> {
  const name = doc.spec.name
  const team = await doing(`looking up team "${name}"`, () => findTeamByName(client, name))
  if (!team) {
    println(io.stdout, `[!] team "${name}" doesn't exist`)
    return
  }
  println(io.stdout, `[+] deleting team "${team.name}"`)
  await doing(`deleting team "${team.name}"`, () =>
    client.call(deleteTeam, { params: { id: team.id } }),
  )
}

async function deleteSecrets(client: FleetClient, doc: EnrollSecretDoc, io: Io): Promise<void> {
  const current = await doing('reading enroll secrets', () => client.call(getGlobalEnrollSecrets))
  const global = current.spec.secrets.filter((s) => s.team_id === null)
  const doomed = new Set(doc.secrets.map((s) => s.secret))
  const kept = global.filter((s) => !doomed.has(s.secret))
  const missing = [...doomed].filter((secret) => !global.some((s) => s.secret === secret)).length
  if (missing > 0) {
    // Never echo secret values: this output may end up in CI logs.
    println(io.stdout, `[!] ${missing} of the listed enroll secrets don't exist`)
  }
  const removed = global.length - kept.length
  if (removed === 0) {
    return
  }
  await doing('deleting enroll secrets', () =>
    client.call(applyGlobalEnrollSecrets, {
      body: { spec: { secrets: kept.map((s) => ({ secret: s.secret })) } },
    }),
  )
  println(io.stdout, `[+] deleted ${removed} enroll secrets`)
}
