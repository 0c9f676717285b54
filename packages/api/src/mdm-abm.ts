import { z } from 'zod'
import { IdParams } from './common.js'
import { defineEndpoint } from './contract.js'

const TAG = 'Apple Business Manager'

/** A token's default team for one platform; `id` 0 / "No team" when none is set (as Fleet). */
export const AbmTokenTeam = z
  .object({ id: z.number().int().min(0), name: z.string() })
  .meta({ id: 'AbmTokenTeam' })
export type AbmTokenTeam = z.infer<typeof AbmTokenTeam>

/** An Apple Business Manager (DEP) server token as Fleet lists it (no secret ever leaves). */
export const AbmToken = z
  .object({
    id: z.number().int(),
    apple_id: z.string(),
    org_name: z.string(),
    mdm_server_url: z.string(),
    /** When the OAuth access token expires (Apple's `access_token_expiry`). */
    renew_date: z.string(),
    /** Apple answered T_C_NOT_SIGNED: an admin must accept new terms in ABM. */
    terms_expired: z.boolean(),
    macos_team: AbmTokenTeam,
    ios_team: AbmTokenTeam,
    ipados_team: AbmTokenTeam,
    /** Ours: the last device sync, and what went wrong in it (null when it went well). */
    last_synced_at: z.string().nullable(),
    last_error: z.string().nullable(),
  })
  .meta({ id: 'AbmToken' })
export type AbmToken = z.infer<typeof AbmToken>

/**
 * The public key certificate (base64 of its PEM) to upload to ABM when adding this server as an
 * MDM server; ABM encrypts the server token it gives back to it.
 */
export const getAbmPublicKey = defineEndpoint({
  method: 'GET',
  path: '/mdm/apple/abm_public_key',
  mount: 'fleet',
  tag: TAG,
  summary: 'The public key certificate to give Apple Business Manager',
  auth: 'user',
  response: z.object({ public_key: z.string() }),
})

/** The `.p7m` server token ABM gives back (multipart field `token`, or JSON). */
const TokenUpload = z.object({
  token: z.string().min(1, 'token multipart field is required'),
  'token.filename': z.string().optional(),
})

export const uploadAbmToken = defineEndpoint({
  method: 'POST',
  path: '/abm_tokens',
  mount: 'fleet',
  tag: TAG,
  summary: 'Add an ABM server token (.p7m)',
  auth: 'user',
  body: TokenUpload,
  response: z.object({ abm_token: AbmToken }),
})

export const listAbmTokens = defineEndpoint({
  method: 'GET',
  path: '/abm_tokens',
  mount: 'fleet',
  tag: TAG,
  summary: 'List ABM server tokens',
  auth: 'user',
  response: z.object({ abm_tokens: z.array(AbmToken) }),
})

export const deleteAbmToken = defineEndpoint({
  method: 'DELETE',
  path: '/abm_tokens/:id',
  mount: 'fleet',
  tag: TAG,
  summary: 'Delete an ABM server token',
  auth: 'user',
  params: IdParams,
  status: 204,
  response: z.object({}),
})

/** A team id or null ("No team"). */
const TeamId = z.number().int().positive().nullable()

export const updateAbmTokenTeams = defineEndpoint({
  method: 'PATCH',
  path: '/abm_tokens/:id/teams',
  mount: 'fleet',
  tag: TAG,
  summary: "Set an ABM token's default teams for new macOS, iOS and iPadOS devices",
  auth: 'user',
  params: IdParams,
  body: z.object({ macos_team_id: TeamId, ios_team_id: TeamId, ipados_team_id: TeamId }),
  response: z.object({ abm_token: AbmToken }),
})

export const renewAbmToken = defineEndpoint({
  method: 'PATCH',
  path: '/abm_tokens/:id/renew',
  mount: 'fleet',
  tag: TAG,
  summary: 'Replace an ABM token with the renewed .p7m of the same organization',
  auth: 'user',
  params: IdParams,
  body: TokenUpload,
  response: z.object({ abm_token: AbmToken }),
})
