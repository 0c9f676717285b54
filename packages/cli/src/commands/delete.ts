import {
  applyGlobalEnrollSecrets,
  deleteLabelByName,
  deleteTeam,
  getGlobalEnrollSecrets,
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
import { SpecError, type EnrollSecretDoc, type LabelDoc, type TeamDoc } from '../specs.js'

const DeleteOptions = z.object({ f: z.string() })

/**
 * `fleetctl delete -f file.yml`: deletes the labels and teams named in `label` and `team` specs,
 * and removes the secrets of an `enroll_secret` spec from the global set. A `config` spec is
 * refused before anything is deleted.
 */
export function registerDelete(program: Command, io: Io): void {
  program
    .command('delete')
    .description('Delete the labels, teams and enroll secrets named in a YAML spec file')
    .requiredOption('-f <file>', 'the YAML file of specs to delete')
    .action(async (_opts: unknown, cmd: Command) => {
      const globals = globalsOf(cmd, io)
      const { f: file } = optionsOf(DeleteOptions, cmd)
      const specs = await readSpecFile(file, io.cwd)
      if (specs.config) {
        throw new SpecError(file, specs.config.index, 'config', "config can't be deleted")
      }
      const { labels, enrollSecret, teams } = specs
      await withClient(globals, { auth: true }, async (client) => {
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

async function deleteLabelDoc(client: FleetClient, doc: LabelDoc, io: Io): Promise<void> {
  const name = doc.spec.name
  println(io.stdout, `[+] deleting label "${name}"`)
  try {
    await client.call(deleteLabelByName, { params: { name } })
  } catch (err) {
    if (!isNotFound(err)) {
      throw new CliError(`deleting label "${name}"`, { cause: err })
    }
    println(io.stdout, `[!] label "${name}" doesn't exist`)
  }
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
