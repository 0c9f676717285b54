import { QUERY_PREFIX, type ResultRow } from '@fleet/api'
import type { Deps } from '../../deps.js'
import type { AgentHost, AgentQueryProvider } from '../hosts/index.js'
import type { CampaignRegistry } from './campaign-registry.js'
import { publishAnswer } from './campaign-results.js'
import type { CampaignService, LiveQuerySources } from './campaigns.service.js'
import { keptRows, ORPHAN_AFTER_MS } from './live-query.js'

/** What a failed answer says when the agent path passes no message for it. */
const UNKNOWN_FAILURE = 'the query failed on the host'

export type LiveQueryProvider = AgentQueryProvider & {
  ingest(
    host: AgentHost,
    results: ReadonlyMap<string, ResultRow[] | null>,
    now: number,
    /** osquery's error message per name suffix, for failed queries (when the caller has them). */
    messages?: ReadonlyMap<string, string>,
  ): Promise<void>
}

/**
 * Live queries on the check-in path, as `fleet_distributed_query_<campaign id>`. Asking is
 * memory only (the registry); an answer from a targeted host is published to the campaign's
 * readers, and the host is then not asked again on any instance.
 */
export function createLiveQueryProvider(
  deps: Pick<Deps, 'config' | 'log' | 'pubsub'>,
  registry: CampaignRegistry,
  campaigns: Pick<CampaignService, 'end'>,
  sources: Pick<LiveQuerySources, 'liveQueryDisabled'>,
): LiveQueryProvider {
  async function deliver(
    host: AgentHost,
    campaignId: number,
    rows: ResultRow[] | null,
    message: string | undefined,
    now: number,
  ): Promise<void> {
    const campaign = registry.get(campaignId)
    if (!campaign?.targets.has(host.id)) {
      deps.log.debug({ hostId: host.id, campaignId }, 'ignoring a live query answer not asked for')
      return
    }
    if (campaign.answered.has(host.id)) {
      return
    }
    const kept = rows === null ? { rows: [], truncated: false } : keptRows(rows)
    if (kept.truncated) {
      deps.log.info({ hostId: host.id, campaignId }, 'live query answer truncated')
    }
    const receivers = await publishAnswer(deps.pubsub, campaignId, {
      hostId: host.id,
      hostname: host.hostname,
      rows: kept.rows,
      error: rows === null ? message || UNKNOWN_FAILURE : null,
    })
    if (receivers !== 0) {
      registry.answered(campaignId, host.id)
      return
    }
    // Nobody reads it. A young campaign waits for its reader (the host is asked again);
    // an older one is orphaned and stopped, as Fleet does.
    if (now - campaign.createdAt >= ORPHAN_AFTER_MS) {
      await campaigns.end(campaignId)
      deps.log.info({ campaignId }, 'live query stopped: nobody reads its results')
    }
  }

  return {
    prefix: QUERY_PREFIX.distributed,
    // Live queries have no schedule: never a full refresh, and answering one records no time.
    schedule: null,
    async queries(host) {
      const due = registry.queriesFor(host.id)
      if (due === undefined || (await sources.liveQueryDisabled())) {
        return new Map()
      }
      return due
    },
    async ingest(
      host: AgentHost,
      results: ReadonlyMap<string, ResultRow[] | null>,
      now: number,
      messages: ReadonlyMap<string, string>,
    ) {
      for (const [suffix, rows] of results) {
        const campaignId = Number(suffix)
        if (Number.isSafeInteger(campaignId) && campaignId > 0) {
          await deliver(host, campaignId, rows, messages.get(suffix), now)
        }
      }
    },
  }
}
