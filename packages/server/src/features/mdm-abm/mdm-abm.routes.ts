import {
  deleteAbmToken,
  getAbmPublicKey,
  listAbmTokens,
  renewAbmToken,
  updateAbmTokenTeams,
  uploadAbmToken,
  type AbmToken as AbmTokenJson,
} from '@fleet/api'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import type { AppConfigService } from '../app-config/index.js'
import { mdmServerUrl } from '../hosts/index.js'
import { ABM_PLATFORMS, type AbmPlatform, type AbmToken } from './abm-token.js'
import * as service from './mdm-abm.service.js'

export interface AbmRouteDeps {
  abm: service.AbmDeps
  appConfig: AppConfigService
}

/** Fleet's shape: a team per platform, `{id: 0, name: "No team"}` when none is set. */
export function presentAbmToken(
  token: AbmToken,
  names: ReadonlyMap<number, string>,
  serverUrl: string | null,
): AbmTokenJson {
  const team = (p: AbmPlatform) => {
    const id = token.teams[p]
    const name = id === null ? undefined : names.get(id)
    return id === null || name === undefined ? { id: 0, name: 'No team' } : { id, name }
  }
  const [macos, ios, ipados] = ABM_PLATFORMS.map(team)
  return {
    id: token.id,
    apple_id: token.appleId,
    org_name: token.orgName,
    mdm_server_url: mdmServerUrl(serverUrl) ?? '',
    renew_date: new Date(token.renewAt).toISOString(),
    terms_expired: token.termsExpired,
    macos_team: macos ?? { id: 0, name: 'No team' },
    ios_team: ios ?? { id: 0, name: 'No team' },
    ipados_team: ipados ?? { id: 0, name: 'No team' },
    last_synced_at: token.lastSyncedAt === null ? null : new Date(token.lastSyncedAt).toISOString(),
    last_error: token.lastError,
  }
}

async function present(s: AbmRouteDeps, tokens: AbmToken[]): Promise<AbmTokenJson[]> {
  const names = await service.tokenTeamNames(s.abm, tokens)
  const serverUrl = (await s.appConfig.current()).server_settings.server_url
  return tokens.map((t) => presentAbmToken(t, names, serverUrl))
}

async function presentOne(s: AbmRouteDeps, token: AbmToken): Promise<{ abm_token: AbmTokenJson }> {
  const [json] = await present(s, [token])
  if (!json) {
    throw new Error('unreachable: one token presented as none')
  }
  return { abm_token: json }
}

export function registerAbmRoutes(r: EndpointRegistrar, s: AbmRouteDeps): void {
  registerEndpoint(r, getAbmPublicKey, async (_input, ctx) => ({
    public_key: await service.abmPublicKey(s.abm, ctx),
  }))
  registerEndpoint(r, uploadAbmToken, async ({ body }, ctx) =>
    presentOne(s, await service.uploadToken(s.abm, ctx, body.token)),
  )
  registerEndpoint(r, listAbmTokens, async (_input, ctx) => ({
    abm_tokens: await present(s, await service.listTokens(s.abm, ctx)),
  }))
  registerEndpoint(r, deleteAbmToken, async ({ params }, ctx) => {
    await service.deleteToken(s.abm, ctx, params.id)
    return {}
  })
  registerEndpoint(r, updateAbmTokenTeams, async ({ params, body }, ctx) =>
    presentOne(
      s,
      await service.updateTeams(s.abm, ctx, params.id, {
        macos: body.macos_team_id,
        ios: body.ios_team_id,
        ipados: body.ipados_team_id,
      }),
    ),
  )
  registerEndpoint(r, renewAbmToken, async ({ params, body }, ctx) =>
    presentOne(s, await service.renewToken(s.abm, ctx, params.id, body.token)),
  )
}
