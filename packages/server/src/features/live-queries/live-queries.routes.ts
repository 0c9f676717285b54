import {
  createLiveQueryCampaign,
  createLiveQueryCampaignByIdentifiers,
  createLiveQueryCampaignByNames,
  liveQueryStatus,
  resultStoreStatus,
  runHostQueryLive,
  runHostQueryLiveByIdentifier,
  runSavedQueryLive,
  type LiveQueryCampaign,
  type TargetMetrics,
} from '@fleet/api'
import type { Deps } from '../../deps.js'
import { isoTime } from '../../platform/clock.js'
import { InternalError } from '../../platform/errors/index.js'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import { publish } from '../../platform/pubsub/index.js'
import { authorizeLiveQueries } from './campaigns.service.js'
import type { LiveQueries } from './create-live-queries.js'
import { LIVE_QUERY_HEALTH } from './live-queries.channels.js'
import type { Campaign } from './live-query.js'

export function presentCampaign(result: {
  campaign: Campaign
  metrics: TargetMetrics
}): LiveQueryCampaign {
  const { campaign, metrics } = result
  return {
    id: campaign.id,
    query_id: campaign.queryId,
    status: campaign.status,
    user_id: campaign.userId,
    created_at: isoTime(campaign.createdAt),
    updated_at: isoTime(campaign.updatedAt),
    Metrics: metrics,
  }
}

/** The REST side of live queries; results stream on the websocket (live-queries.socket.ts). */
export function registerLiveQueryRoutes(
  r: EndpointRegistrar,
  { deps, live }: { deps: Pick<Deps, 'pubsub'>; live: LiveQueries },
): void {
  registerEndpoint(r, createLiveQueryCampaign, async ({ body }, ctx) => ({
    campaign: presentCampaign(await live.campaigns.create(ctx, body)),
  }))
  for (const endpoint of [createLiveQueryCampaignByIdentifiers, createLiveQueryCampaignByNames]) {
    registerEndpoint(r, endpoint, async ({ body }, ctx) => ({
      campaign: presentCampaign(await live.campaigns.createByIdentifiers(ctx, body)),
    }))
  }
  registerEndpoint(r, runSavedQueryLive, ({ params, body }, ctx) =>
    live.runs.runSavedQuery(ctx, params.id, body.host_ids),
  )
  registerEndpoint(r, runHostQueryLive, ({ params, body }, ctx) =>
    live.runs.runOnHost(ctx, { id: params.id }, body.query),
  )
  registerEndpoint(r, runHostQueryLiveByIdentifier, ({ params, body }, ctx) =>
    live.runs.runOnHost(ctx, { identifier: params.identifier }, body.query),
  )
  registerEndpoint(r, liveQueryStatus, async (_input, ctx) => {
    await live.campaigns.ensureEnabled(ctx)
    return {}
  })
  registerEndpoint(r, resultStoreStatus, async (_input, ctx) => {
    authorizeLiveQueries(ctx)
    try {
      await publish(deps.pubsub, LIVE_QUERY_HEALTH, 'ping')
    } catch (err) {
      throw new InternalError('reaching the live query result store', { cause: err })
    }
    return {}
  })
}
