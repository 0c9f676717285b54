import type { Deps } from '../../deps.js'
import { CampaignRegistry } from './campaign-registry.js'
import { createCampaignStreams, type CampaignStreams } from './campaign-stream.js'
import {
  createCampaignService,
  type CampaignService,
  type LiveQuerySources,
} from './campaigns.service.js'
import { createLiveQueryProvider, type LiveQueryProvider } from './live-query-provider.js'
import { createLiveRunService, type LiveRunService } from './live-runs.service.js'
import * as store from './live-queries.store.js'

/** How often each instance looks for campaigns nobody started reading. */
const SWEEP_MS = 5_000

export interface LiveQueries {
  /** Plug into the osquery agent service (`fleet_distributed_query_<id>`). */
  provider: LiveQueryProvider
  campaigns: CampaignService
  runs: LiveRunService
  streams: CampaignStreams
  registry: CampaignRegistry
  /** Subscribes to the other instances and takes up the campaigns still running. */
  start(): Promise<void>
  /** Ends the campaigns of open streams and unsubscribes (call after the HTTP server closed). */
  stop(): Promise<void>
}

/**
 * The live-query feature, assembled: one registry per instance (kept in agreement over pub/sub),
 * the check-in provider, campaign creation, synchronous runs and websocket streams.
 */
export function createLiveQueries(deps: Deps, sources: LiveQuerySources): LiveQueries {
  const registry = new CampaignRegistry(deps.pubsub, deps.log)
  const campaigns = createCampaignService(deps, registry, sources)
  const streams = createCampaignStreams(deps, campaigns)
  let timer: NodeJS.Timeout | undefined

  return {
    provider: createLiveQueryProvider(deps, registry, campaigns, sources),
    campaigns,
    runs: createLiveRunService(deps, campaigns),
    streams,
    registry,
    async start() {
      await registry.start(() => store.unfinishedCampaigns(deps.db))
      timer = setInterval(() => {
        if (registry.size > 0) {
          campaigns
            .sweep()
            .catch((err: unknown) =>
              deps.log.warn({ err }, 'stopping orphaned live queries failed'),
            )
        }
      }, SWEEP_MS)
      timer.unref()
    },
    async stop() {
      clearInterval(timer)
      await streams.closeAll()
      await registry.stop()
    },
  }
}
