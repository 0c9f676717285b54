import { ResultRow } from '@fleet/api'
import { z } from 'zod'
import type { Logger } from '../../platform/logger.js'
import type { PubSub, Unsubscribe } from '../../platform/pubsub/index.js'
import type { HostAnswer } from './live-query.js'

/** One channel per campaign: only its readers subscribe, so an answer costs one publish. */
export function resultsChannel(campaignId: number): string {
  return `live_query_results_${campaignId}`
}

const AnswerMessage = z.object({
  hostId: z.number().int(),
  hostname: z.string(),
  rows: z.array(ResultRow),
  error: z.string().nullable(),
})

/**
 * Publishes a host's answer to the campaign's readers, on whichever instance they are. Resolves
 * with how many received it: 0 means nobody reads the campaign (Redis counts subscribed
 * instances, in-process pub/sub its handlers).
 */
export function publishAnswer(pubsub: PubSub, campaignId: number, answer: HostAnswer) {
  return pubsub.publish(resultsChannel(campaignId), JSON.stringify(answer))
}

/** Delivers the campaign's answers to `onAnswer` until unsubscribed. */
export function subscribeAnswers(
  pubsub: PubSub,
  log: Logger,
  campaignId: number,
  onAnswer: (answer: HostAnswer) => void,
): Promise<Unsubscribe> {
  return pubsub.subscribe(resultsChannel(campaignId), (raw) => {
    let answer: HostAnswer
    try {
      answer = AnswerMessage.parse(JSON.parse(raw))
    } catch (err) {
      log.warn({ err, campaignId }, 'ignoring a malformed live query answer')
      return
    }
    onAnswer(answer)
  })
}
