import type { Logger } from '../../platform/logger.js'
import { on, publish, type PubSub, type Unsubscribe } from '../../platform/pubsub/index.js'
import { CAMPAIGN_RESULTS } from './live-queries.channels.js'
import type { HostAnswer } from './live-query.js'

/**
 * Publishes a host's answer to the campaign's readers, on whichever instance they are. Resolves
 * with how many received it: 0 means nobody reads the campaign (Redis counts subscribed
 * instances, in-process pub/sub its handlers).
 */
export function publishAnswer(pubsub: PubSub, campaignId: number, answer: HostAnswer) {
  return publish(pubsub, CAMPAIGN_RESULTS.of(campaignId), answer)
}

/** Delivers the campaign's answers to `onAnswer` until unsubscribed (malformed ones are logged). */
export function subscribeAnswers(
  pubsub: PubSub,
  log: Logger,
  campaignId: number,
  onAnswer: (answer: HostAnswer) => void,
): Promise<Unsubscribe> {
  return on(CAMPAIGN_RESULTS.of(campaignId), onAnswer).subscribe(pubsub, log.child({ campaignId }))
}
