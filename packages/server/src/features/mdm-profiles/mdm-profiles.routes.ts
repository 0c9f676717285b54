import {
  batchSetProfiles,
  deleteConfigurationProfile,
  getConfigurationProfile,
  getConfigurationProfilesSummary,
  listConfigurationProfiles,
  uploadConfigurationProfile,
} from '@fleet/api'
import {
  FileResponse,
  registerEndpoint,
  type EndpointRegistrar,
} from '../../platform/http/index.js'
import * as service from './mdm-profiles.service.js'
import { batchSet } from './profiles-batch.service.js'

/** A multipart list field: its repeated values, else its one value. */
function names(one: string | string[] | undefined, all: string | string[] | undefined): string[] {
  const value = all ?? one
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

/** Fleet's `team_id`: 0 or absent is "No team". */
const team = (teamId: number | undefined): number | null => (teamId ? teamId : null)

export function registerProfileRoutes(r: EndpointRegistrar, s: service.ProfilesDeps): void {
  registerEndpoint(r, uploadConfigurationProfile, async ({ body }, ctx) => ({
    profile_uuid: await service.uploadProfile(s, ctx, {
      filename: body['profile.filename'] ?? '',
      contents: body.profile,
      teamId: team(body.team_id),
      labels: {
        labels_include_all: names(body.labels_include_all, body['labels_include_all[]']),
        labels_include_any: names(body.labels_include_any, body['labels_include_any[]']),
        labels_exclude_any: names(body.labels_exclude_any, body['labels_exclude_any[]']),
      },
    }),
  }))
  registerEndpoint(r, listConfigurationProfiles, ({ query }, ctx) =>
    service.listProfiles(s, ctx, { ...query, teamId: team(query.team_id) }),
  )
  registerEndpoint(r, getConfigurationProfilesSummary, ({ query }, ctx) =>
    service.summary(s, ctx, team(query.team_id)),
  )
  registerEndpoint(r, getConfigurationProfile, async ({ params, query }, ctx) => {
    const { profile, file } = await service.getProfile(s, ctx, params.profile_uuid)
    if (query.alt !== 'media') {
      return profile
    }
    return new FileResponse(
      service.downloadName(file, s.deps.clock.now()),
      file.kind === 'mobileconfig' ? 'application/x-apple-aspen-config' : 'application/json',
      file.contents,
    )
  })
  registerEndpoint(r, deleteConfigurationProfile, async ({ params }, ctx) => {
    await service.deleteProfile(s, ctx, params.profile_uuid)
    return {}
  })
  registerEndpoint(r, batchSetProfiles, async ({ query, body }, ctx) => {
    await batchSet(s, ctx, {
      teamId: team(query.team_id),
      teamName: query.team_name,
      dryRun: query.dry_run,
      profiles: body.profiles ?? [],
    })
    return {}
  })
}
