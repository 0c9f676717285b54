import { ErrorCode } from '@fleet/api'
import { createHash, randomUUID } from 'node:crypto'
import type { Db } from '../../db/database.js'
import { isUniqueViolation } from '../../platform/db/index.js'
import {
  AlreadyExistsError,
  InvalidArgumentError,
  NotFoundError,
  ValidationError,
} from '../../platform/errors/index.js'
import { findLabelByName } from '../labels/index.js'
import type { SecretVariables } from '../secret-variables/index.js'
import { teamNames } from '../teams/index.js'
import * as store from './mdm-profiles.store.js'
import {
  parseProfileFile,
  ProfileFileError,
  secretNames,
  type ProfileFile,
} from './profile-file.js'
import { declarationServerToken } from './declaration-token.js'
import type { LabelMode, ProfileLabelRow, ProfileRow } from './profile.js'

export const SAME_NAME =
  'Couldn’t add. A configuration profile with this name already exists (PayloadDisplayName for .mobileconfig and file name for .json and .xml).'
export const SAME_IDENTIFIER =
  'Couldn’t add. A configuration profile with this identifier (PayloadIdentifier) already exists.'
export const SAME_DECLARATION_IDENTIFIER =
  'Couldn’t add. A declaration profile with this identifier already exists.'
export const ONE_LABEL_MODE =
  "Only one of 'labels_include_all', 'labels_include_any' or 'labels_exclude_any' can be included."
export const LABELS_MISSING = "some or all the labels provided don't exist"
/** Fleet's refusal of `$FLEET_SECRET_*` references to secrets that are not stored. */
export const missingSecrets = (names: readonly string[]): string =>
  `Couldn't add. Variable${names.length > 1 ? 's' : ''} ${names
    .map((n) => `"$FLEET_SECRET_${n}"`)
    .join(', ')} missing`

/**
 * A unique key refused the write (two uploads racing, or a batch swapping two names): the same
 * 409 as the checks before it.
 */
export function duplicateOnConflict(err: unknown): never {
  if (isUniqueViolation(err)) {
    throw new AlreadyExistsError('profile', SAME_NAME)
  }
  throw err
}

/** Parses a file and turns a refusal into Fleet's error (400, or 422 for DDM types). */
export function checkFile(filename: string, contents: string): ProfileFile {
  let file: ProfileFile
  try {
    file = parseProfileFile(filename, contents)
  } catch (err) {
    if (err instanceof ProfileFileError) {
      throw err.status === 422
        ? new ValidationError([{ name: 'profile', reason: err.message }])
        : InvalidArgumentError.field('profile', err.message)
    }
    throw err
  }
  return file
}

/** 400 with Fleet's message when the file references secrets that are not stored. */
export async function requireSecrets(
  db: Db,
  secrets: SecretVariables,
  file: ProfileFile,
): Promise<void> {
  const missing = await secrets.missing(db, file.contents)
  if (missing.length > 0) {
    throw InvalidArgumentError.field('profile', missingSecrets(missing))
  }
}

/** A new upload's `secrets_updated_at`: now when it references secrets. */
export function secretsStamp(file: ProfileFile, now: number): number | null {
  return secretNames(file.contents).length > 0 ? now : null
}

/** The team's name (null for "No team"); 404 for a team that does not exist. */
export async function mustFindTeam(db: Db, teamId: number | null): Promise<string | null> {
  if (teamId === null) {
    return null
  }
  const name = (await teamNames(db, [teamId])).get(teamId)
  if (name === undefined) {
    throw new NotFoundError(`team ${teamId}`, ErrorCode.TEAM_NOT_FOUND)
  }
  return name
}

export interface LabelChoice {
  mode: LabelMode
  names: readonly string[]
}

/** The one label mode used (Fleet refuses combining them), or undefined for all hosts. */
export function labelChoice(
  modes: Partial<Record<LabelMode, readonly string[] | undefined>>,
): LabelChoice | undefined {
  const used = (Object.entries(modes) as [LabelMode, readonly string[] | undefined][]).filter(
    ([, names]) => names !== undefined && names.length > 0,
  )
  if (used.length > 1) {
    throw InvalidArgumentError.field('labels', ONE_LABEL_MODE)
  }
  const [first] = used
  return first && { mode: first[0], names: [...new Set(first[1])] }
}

/** The label rows of a choice; 400 if a label does not exist. */
export async function resolveLabels(
  db: Db,
  choice: LabelChoice | undefined,
): Promise<Omit<ProfileLabelRow, 'profileUuid'>[]> {
  if (!choice) {
    return []
  }
  const rows: Omit<ProfileLabelRow, 'profileUuid'>[] = []
  for (const name of choice.names) {
    const label = await findLabelByName(db, name)
    if (!label) {
      throw InvalidArgumentError.field('labels', LABELS_MISSING)
    }
    rows.push({
      labelId: label.id,
      labelName: label.name,
      exclude: choice.mode === 'labels_exclude_any',
      requireAll: choice.mode === 'labels_include_all',
    })
  }
  return rows
}

/**
 * Fleet's token: `.mobileconfig` lower-case hex MD5 of the file; a declaration's ServerToken
 * (`declarationServerToken`: its raw JSON followed by `secrets_updated_at`).
 */
export function checksumOf(file: ProfileFile, secretsUpdatedAt: number | null = null): string {
  return file.kind === 'mobileconfig'
    ? createHash('md5').update(file.contents, 'utf8').digest('hex')
    : declarationServerToken(file.contents, secretsUpdatedAt)
}

export function newUuid(file: ProfileFile): string {
  return `${file.kind === 'mobileconfig' ? 'a' : 'd'}${randomUUID()}`
}

/** 409 when the name (either kind) or the identifier (same kind) is another profile's. */
export async function refuseDuplicates(
  db: Db,
  teamId: number | null,
  file: ProfileFile,
  self?: string,
): Promise<void> {
  const others = (found: { uuid: string }[]) => found.some((f) => f.uuid !== self)
  if (others(await store.uuidsWhere(db, teamId, 'name', file.name))) {
    throw new AlreadyExistsError('profile', SAME_NAME)
  }
  const sameIdentifier = await store.uuidsWhere(db, teamId, 'identifier', file.identifier)
  if (others(sameIdentifier.filter((f) => f.kind === file.kind))) {
    throw new AlreadyExistsError(
      'profile',
      file.kind === 'mobileconfig' ? SAME_IDENTIFIER : SAME_DECLARATION_IDENTIFIER,
    )
  }
}

export function rowOf(
  file: ProfileFile,
  uuid: string,
  teamId: number | null,
  now: number,
  secretsUpdatedAt: number | null = secretsStamp(file, now),
): ProfileRow {
  return {
    uuid,
    kind: file.kind,
    teamId,
    identifier: file.identifier,
    name: file.name,
    contents: file.contents,
    checksum: checksumOf(file, secretsUpdatedAt),
    createdAt: now,
    uploadedAt: now,
    secretsUpdatedAt,
  }
}
