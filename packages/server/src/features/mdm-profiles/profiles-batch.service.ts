import { ErrorCode } from '@fleet/api'
import { authorize } from '../../platform/authz/index.js'
import { InvalidArgumentError, NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { recordActivity } from '../activities/index.js'
import { teamIdByName } from '../teams/index.js'
import * as store from './mdm-profiles.store.js'
import type { ProfilesDeps } from './mdm-profiles.service.js'
import {
  checkFile,
  labelChoice,
  mustFindTeam,
  newUuid,
  requireSecrets,
  resolveLabels,
  rowOf,
  secretsStamp,
  duplicateOnConflict,
} from './profile-checks.js'
import type { ProfileFile } from './profile-file.js'
import type { ProfileKind, ProfileRow } from './profile.js'

export interface BatchProfile {
  name: string
  contents?: string | undefined
  profile?: string | undefined
  labels?: string[] | undefined
  labels_include_all?: string[] | undefined
  labels_include_any?: string[] | undefined
  labels_exclude_any?: string[] | undefined
}

export interface BatchInput {
  teamId: number | null
  teamName: string | undefined
  dryRun: boolean
  profiles: readonly BatchProfile[]
}

export const BOTH_TEAM_KEYS = 'Cannot specify both team_id and team_name.'
export const DUPLICATE_NAMES =
  'More than one configuration profile have the same name (PayloadDisplayName for .mobileconfig and file name for .json and .xml).'
export const DUPLICATE_IDENTIFIERS =
  'More than one configuration profile have the same identifier (PayloadIdentifier for .mobileconfig, Identifier for .json).'

/** The file name a batch entry stands for: its kind comes from its contents, as Fleet decides. */
function filenameOf(name: string, contents: string): string {
  const start = contents.trimStart()
  if (start.startsWith('{')) {
    return `${name}.json`
  }
  if (start.startsWith('<') && !/<plist[\s>]/.test(start)) {
    return `${name}.xml`
  }
  return `${name}.mobileconfig`
}

async function resolveTeam(
  deps: ProfilesDeps['deps'],
  ctx: RequestCtx,
  input: BatchInput,
): Promise<number | null> {
  if (input.teamId !== null && input.teamName !== undefined) {
    authorize(ctx.authz, { type: 'mdm_config_profile', teamId: input.teamId }, 'write')
    throw InvalidArgumentError.field('team_name', BOTH_TEAM_KEYS)
  }
  if (input.teamName === undefined) {
    return input.teamId
  }
  const id = await teamIdByName(deps.db, input.teamName, { ignoreCase: true })
  if (id === undefined) {
    authorize(ctx.authz, { type: 'mdm_config_profile', teamId: null }, 'write')
    throw new NotFoundError(`team "${input.teamName}"`, ErrorCode.TEAM_NOT_FOUND)
  }
  return id
}

interface Incoming {
  file: ProfileFile
  entry: BatchProfile
}

function checkAll(profiles: readonly BatchProfile[]): Incoming[] {
  const incoming = profiles.map((entry) => {
    const contents = Buffer.from(entry.contents ?? entry.profile ?? '', 'base64').toString('utf8')
    try {
      return { file: checkFile(filenameOf(entry.name, contents), contents), entry }
    } catch (err) {
      if (err instanceof InvalidArgumentError) {
        const reason = err.details[0]?.reason ?? ''
        throw InvalidArgumentError.field(`profiles`, `${entry.name}: ${reason}`)
      }
      throw err
    }
  })
  const names = incoming.map((i) => i.file.name)
  if (new Set(names).size !== names.length) {
    throw InvalidArgumentError.field('profiles', DUPLICATE_NAMES)
  }
  const keys = incoming.map((i) => `${i.file.kind}:${i.file.identifier}`)
  if (new Set(keys).size !== keys.length) {
    throw InvalidArgumentError.field('profiles', DUPLICATE_IDENTIFIERS)
  }
  return incoming
}

/**
 * GitOps: makes a team's profiles exactly the given set. A profile keeps its uuid when one of the
 * same kind and identifier exists (its `uploaded_at` moves only when its contents or name did);
 * profiles not listed are deleted. `dry_run` checks everything and writes nothing.
 */
export async function batchSet(
  { deps, secrets }: ProfilesDeps,
  ctx: RequestCtx,
  input: BatchInput,
): Promise<void> {
  const teamId = await resolveTeam(deps, ctx, input)
  authorize(ctx.authz, { type: 'mdm_config_profile', teamId }, 'write')
  const teamName = await mustFindTeam(deps.db, teamId)
  const incoming = checkAll(input.profiles)
  for (const { file, entry } of incoming) {
    await requireSecrets(deps.db, secrets, file).catch((err: unknown) => {
      throw err instanceof InvalidArgumentError
        ? InvalidArgumentError.field('profiles', `${entry.name}: ${err.details[0]?.reason ?? ''}`)
        : err
    })
  }
  const choices = incoming.map(({ entry }) =>
    labelChoice({
      labels_include_all: entry.labels_include_all ?? entry.labels,
      labels_include_any: entry.labels_include_any,
      labels_exclude_any: entry.labels_exclude_any,
    }),
  )
  const labels: Awaited<ReturnType<typeof resolveLabels>>[] = []
  for (const choice of choices) {
    labels.push(await resolveLabels(deps.db, choice))
  }
  if (input.dryRun) {
    authorize(ctx.authz, { type: 'mdm_config_profile', teamId }, 'write')
    return
  }
  const now = deps.clock.now().getTime()
  await deps.db
    .transaction()
    .execute(async (trx) => {
      const existing = await store.teamProfiles(trx, teamId)
      const key = (kind: ProfileKind, identifier: string) => `${kind}:${identifier}`
      const byKey = new Map(existing.map((p) => [key(p.kind, p.identifier), p]))
      const kept = new Set(incoming.map(({ file }) => key(file.kind, file.identifier)))
      const changed = new Set<ProfileKind>()
      for (const p of existing.filter((p) => !kept.has(key(p.kind, p.identifier)))) {
        await store.deleteProfile(trx, p.uuid)
        changed.add(p.kind)
      }
      for (const [i, { file }] of incoming.entries()) {
        const before = byKey.get(key(file.kind, file.identifier))
        // Same file: same secrets stamp, so an unchanged GitOps run changes no token.
        const stamp =
          before && before.contents === file.contents
            ? before.secretsUpdatedAt
            : secretsStamp(file, now)
        const row: ProfileRow = rowOf(file, before?.uuid ?? newUuid(file), teamId, now, stamp)
        const same = before && before.checksum === row.checksum && before.name === row.name
        if (!same) {
          await store.saveProfile(
            trx,
            before ? { ...row, createdAt: before.createdAt } : row,
            !!before,
          )
          changed.add(file.kind)
        }
        await store.replaceLabels(trx, row.uuid, labels[i] ?? [])
      }
      const details = { team_id: teamId, team_name: teamName }
      if (changed.has('mobileconfig')) {
        await recordActivity(trx, deps.clock, ctx, { type: 'edited_macos_profile', details })
      }
      if (changed.has('declaration')) {
        await recordActivity(trx, deps.clock, ctx, { type: 'edited_declaration_profile', details })
      }
    })
    .catch(duplicateOnConflict)
  ctx.log.debug({ team_id: teamId, count: incoming.length }, 'configuration profiles batch-set')
}
