import { ResultRow } from '@fleet/api'
import { z } from 'zod'
import { defineChannel, defineChannelFamily } from '../../platform/pubsub/index.js'

const Id = z.number().int().positive()

/** What instances tell each other about campaigns (see `CampaignRegistry`); `from` is the sender. */
export const CampaignMessage = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('start'),
    from: z.string(),
    id: Id,
    sql: z.string(),
    createdAt: z.number(),
    hosts: z.string(),
    selected: z.boolean(),
  }),
  z.object({ t: z.literal('selected'), from: z.string(), id: Id }),
  z.object({ t: z.literal('answered'), from: z.string(), id: Id, hosts: z.array(Id) }),
  z.object({ t: z.literal('end'), from: z.string(), id: Id }),
  z.object({ t: z.literal('hello'), from: z.string() }),
])
export type CampaignMessage = z.infer<typeof CampaignMessage>

/** Where instances tell each other about campaigns starting, being read, answered and ending. */
export const CAMPAIGNS = defineChannel('live_query_campaigns', CampaignMessage)

const HostAnswerMessage = z.object({
  hostId: z.number().int(),
  hostname: z.string(),
  rows: z.array(ResultRow),
  error: z.string().nullable(),
})

/**
 * One channel per campaign for its hosts' answers: only its readers subscribe, so an answer costs
 * one publish.
 */
export const CAMPAIGN_RESULTS = defineChannelFamily<number, z.infer<typeof HostAnswerMessage>>(
  'live_query_results_',
  HostAnswerMessage,
)

/** Published by the result-store status check (`GET /status/result_store`) to prove pub/sub works. */
export const LIVE_QUERY_HEALTH = defineChannel('live_query_health', z.literal('ping'))
