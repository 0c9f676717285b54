import { ErrorCode, TRANSLATE_TYPES, type TranslatePayload } from '@fleet/api'
import type { z } from 'zod'
import type { Deps } from '../../deps.js'
import { authorize, type Resource } from '../../platform/authz/index.js'
import { InvalidArgumentError, NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { findHostByIdentifier } from '../hosts/index.js'
import { findLabelByName } from '../labels/index.js'
import { teamIdByName } from '../teams/index.js'
import { findUserByEmail } from '../users/index.js'

type TranslateType = (typeof TRANSLATE_TYPES)[number]
type Entry = z.output<typeof TranslatePayload>
type TranslatorDeps = Pick<Deps, 'db'>

function isTranslateType(type: string): type is TranslateType {
  return TRANSLATE_TYPES.some((known) => known === type)
}

/**
 * What reading each type takes: Fleet authorizes an empty object of the type (no team, no
 * user), so hosts and teams are translated for global readers only, as in Fleet.
 */
const RESOURCE: Record<TranslateType, Resource> = {
  host: { type: 'host', teamId: null },
  team: { type: 'team' },
  label: { type: 'label' },
  user: { type: 'user', globalRole: null, teamIds: [] },
}

async function idOf(deps: TranslatorDeps, type: TranslateType, identifier: string) {
  switch (type) {
    case 'host':
      return (await findHostByIdentifier(deps.db, identifier))?.id
    case 'team':
      return teamIdByName(deps.db, identifier, { ignoreCase: true })
    case 'label':
      return (await findLabelByName(deps.db, identifier))?.id
    case 'user':
      return (await findUserByEmail(deps.db, identifier))?.id
  }
}

const NOT_FOUND_CODE: Record<TranslateType, ErrorCode> = {
  host: ErrorCode.NOT_FOUND,
  team: ErrorCode.TEAM_NOT_FOUND,
  label: ErrorCode.NOT_FOUND,
  user: ErrorCode.USER_NOT_FOUND,
}

/**
 * Fleet's translator: each entry's identifier to its id, in order. Each entry is authorized
 * before it is looked up, as Fleet does; an empty list, an unknown type, or an identifier that
 * matches nothing refuses the whole request (Fleet answers a missing label with id 0; a 404 tells
 * fleetctl's user what is wrong instead of transferring nothing).
 */
export async function translate(
  deps: TranslatorDeps,
  ctx: RequestCtx,
  list: readonly Entry[],
): Promise<{ type: TranslateType; payload: { identifier: string; id: number } }[]> {
  if (list.length === 0) {
    throw InvalidArgumentError.field('list', 'payloads must not be empty')
  }
  const translated = []
  for (const [index, { type, payload }] of list.entries()) {
    if (!isTranslateType(type)) {
      throw InvalidArgumentError.field(`list.${index}.type`, `Type ${type} is unknown.`)
    }
    authorize(ctx.authz, RESOURCE[type], 'read')
    const id = await idOf(deps, type, payload.identifier)
    if (id === undefined) {
      throw new NotFoundError(`${type} "${payload.identifier}"`, NOT_FOUND_CODE[type])
    }
    translated.push({ type, payload: { identifier: payload.identifier, id } })
  }
  return translated
}
