import { ErrorCode } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { authorize } from '../../platform/authz/index.js'
import {
  AlreadyExistsError,
  ConflictError,
  InvalidArgumentError,
  NotFoundError,
} from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import type { SecretBox } from '../../platform/secret-box.js'
import { teamNames } from '../teams/index.js'
import { missingPrivateKeyMessage } from '../mdm-setup/index.js'
import { ensureAbmKeys, readAbmKeys } from './abm-keys.js'
import { AbmTokenFileError, decryptAbmToken, type AbmServerToken } from './abm-token-file.js'
import { ABM_PLATFORMS, type AbmPlatform, type AbmToken } from './abm-token.js'
import { createDepClient, DepApiError, type DepAccount, type DepClient } from './dep-client.js'
import type { AbmCredentials } from './abm-token-file.js'
import * as store from './mdm-abm.store.js'

export interface AbmDeps {
  deps: Pick<Deps, 'db' | 'clock' | 'config'>
  box: SecretBox | undefined
  /** How this server reaches ABM (tests pass a fetch into the fake). */
  depClient(credentials: AbmCredentials): DepClient
}

/** The default client: `mdm.apple_business_manager_url`, the global fetch. */
export function defaultDepClient(deps: Pick<Deps, 'clock' | 'config'>) {
  return (credentials: AbmCredentials): DepClient =>
    createDepClient({
      baseUrl: deps.config.mdm.apple_business_manager_url,
      credentials,
      clock: deps.clock,
    })
}

function requireBox(s: AbmDeps, action: string): SecretBox {
  if (!s.box) {
    throw new ConflictError(missingPrivateKeyMessage(action), ErrorCode.SERVER_PRIVATE_KEY_MISSING)
  }
  return s.box
}

/** The OAuth credentials of a stored token. */
export function openCredentials(box: SecretBox, token: AbmToken): AbmCredentials {
  const parsed: unknown = JSON.parse(
    box.open(token.sealedCredentials, `abm_token:${token.orgName}`).toString('utf8'),
  )
  const o =
    typeof parsed === 'object' && parsed !== null ? Object.fromEntries(Object.entries(parsed)) : {}
  const str = (k: string) => (typeof o[k] === 'string' ? o[k] : '')
  return {
    consumerKey: str('consumerKey'),
    consumerSecret: str('consumerSecret'),
    accessToken: str('accessToken'),
    accessSecret: str('accessSecret'),
  }
}

function sealCredentials(box: SecretBox, orgName: string, token: AbmServerToken): string {
  const { consumerKey, consumerSecret, accessToken, accessSecret } = token
  const json = JSON.stringify({ consumerKey, consumerSecret, accessToken, accessSecret })
  return box.seal(Buffer.from(json), `abm_token:${orgName}`)
}

/** `GET /mdm/apple/abm_public_key`: the certificate (base64 of its PEM), made the first time. */
export async function abmPublicKey(s: AbmDeps, ctx: RequestCtx): Promise<string> {
  authorize(ctx.authz, { type: 'abm_token' }, 'read')
  const box = requireBox(s, 'download the ABM public key')
  const keys = await ensureAbmKeys(s.deps.db, box, s.deps.clock)
  return Buffer.from(keys.certPem).toString('base64')
}

/** Decrypts an uploaded `.p7m` and asks ABM whose it is (`GET /account`). */
async function readUpload(
  s: AbmDeps,
  box: SecretBox,
  text: string,
): Promise<{ token: AbmServerToken; account: DepAccount }> {
  const keys = await readAbmKeys(s.deps.db, box)
  if (!keys) {
    throw InvalidArgumentError.field(
      'token',
      'Download the public key first (GET /mdm/apple/abm_public_key) and upload it to Apple Business Manager.',
      ErrorCode.ABM_TOKEN_INVALID,
    )
  }
  let token: AbmServerToken
  try {
    token = decryptAbmToken(text, keys.keyPem)
  } catch (err) {
    if (err instanceof AbmTokenFileError) {
      throw InvalidArgumentError.field('token', err.message, ErrorCode.ABM_TOKEN_INVALID)
    }
    throw err
  }
  if (token.expiresAt <= s.deps.clock.now().getTime()) {
    throw InvalidArgumentError.field(
      'token',
      'This token has expired. Download a new one from Apple Business Manager.',
      ErrorCode.ABM_TOKEN_INVALID,
    )
  }
  try {
    return { token, account: await s.depClient(token).account() }
  } catch (err) {
    if (err instanceof DepApiError) {
      throw InvalidArgumentError.field(
        'token',
        `Apple Business Manager refused the token: ${err.message}`,
        ErrorCode.ABM_TOKEN_INVALID,
      )
    }
    throw err
  }
}

/** `POST /abm_tokens`: stores a new organization's token (sealed). */
export async function uploadToken(s: AbmDeps, ctx: RequestCtx, text: string): Promise<AbmToken> {
  authorize(ctx.authz, { type: 'abm_token' }, 'write')
  const box = requireBox(s, 'upload the ABM token')
  const { token, account } = await readUpload(s, box, text)
  const { db, clock } = s.deps
  if (await store.findTokenByOrg(db, account.org_name)) {
    throw new AlreadyExistsError(
      'token',
      `An ABM token for ${account.org_name} is already uploaded: renew it instead.`,
      ErrorCode.ABM_TOKEN_EXISTS,
    )
  }
  const id = await store.insertToken(
    db,
    {
      orgName: account.org_name,
      appleId: account.admin_id,
      sealedCredentials: sealCredentials(box, account.org_name, token),
      renewAt: token.expiresAt,
    },
    clock.now().getTime(),
  )
  ctx.log.info({ abmTokenId: id, org: account.org_name }, 'ABM token added')
  return requireToken(s, id)
}

/** `PATCH /abm_tokens/:id/renew`: the renewed token of the same organization. */
export async function renewToken(
  s: AbmDeps,
  ctx: RequestCtx,
  id: number,
  text: string,
): Promise<AbmToken> {
  authorize(ctx.authz, { type: 'abm_token' }, 'write')
  const box = requireBox(s, 'renew the ABM token')
  const existing = await requireToken(s, id)
  const { token, account } = await readUpload(s, box, text)
  if (account.org_name !== existing.orgName) {
    throw InvalidArgumentError.field(
      'token',
      `This token is for ${account.org_name}, not ${existing.orgName}.`,
      ErrorCode.ABM_TOKEN_INVALID,
    )
  }
  await store.replaceCredentials(
    s.deps.db,
    id,
    {
      orgName: existing.orgName,
      appleId: account.admin_id,
      sealedCredentials: sealCredentials(box, existing.orgName, token),
      renewAt: token.expiresAt,
    },
    s.deps.clock.now().getTime(),
  )
  ctx.log.info({ abmTokenId: id }, 'ABM token renewed')
  return requireToken(s, id)
}

async function requireToken(s: AbmDeps, id: number): Promise<AbmToken> {
  const token = await store.findToken(s.deps.db, id)
  if (!token) {
    throw new NotFoundError(`ABM token ${id}`, ErrorCode.ABM_TOKEN_NOT_FOUND)
  }
  return token
}

export async function listTokens(s: AbmDeps, ctx: RequestCtx): Promise<AbmToken[]> {
  authorize(ctx.authz, { type: 'abm_token' }, 'list')
  return store.listTokens(s.deps.db)
}

export async function deleteToken(s: AbmDeps, ctx: RequestCtx, id: number): Promise<void> {
  authorize(ctx.authz, { type: 'abm_token' }, 'delete')
  if (!(await store.deleteToken(s.deps.db, id))) {
    throw new NotFoundError(`ABM token ${id}`, ErrorCode.ABM_TOKEN_NOT_FOUND)
  }
  ctx.log.info({ abmTokenId: id }, 'ABM token deleted')
}

/** `PATCH /abm_tokens/:id/teams`: the teams new devices of each platform join. */
export async function updateTeams(
  s: AbmDeps,
  ctx: RequestCtx,
  id: number,
  teams: Record<AbmPlatform, number | null>,
): Promise<AbmToken> {
  authorize(ctx.authz, { type: 'abm_token' }, 'write')
  await requireToken(s, id)
  const ids = [...new Set(ABM_PLATFORMS.map((p) => teams[p]).filter((t) => t !== null))]
  const known = await teamNames(s.deps.db, ids)
  const missing = ABM_PLATFORMS.filter((p) => {
    const team = teams[p]
    return team !== null && !known.has(team)
  })
  if (missing.length > 0) {
    throw new InvalidArgumentError(
      missing.map((p) => ({ name: `${p}_team_id`, reason: `team ${teams[p]} does not exist` })),
    )
  }
  await store.setTokenTeams(s.deps.db, id, teams, s.deps.clock.now().getTime())
  return requireToken(s, id)
}

/** Team names for presenting tokens. */
export function tokenTeamNames(s: AbmDeps, tokens: readonly AbmToken[]) {
  const ids = tokens.flatMap((t) => ABM_PLATFORMS.map((p) => t.teams[p]))
  return teamNames(s.deps.db, [...new Set(ids.filter((id) => id !== null))])
}
