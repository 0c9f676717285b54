import type { FailingPolicyWebhookPayload } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { isoTime } from '../../platform/clock.js'
import { errorMessage } from '../../platform/errors/index.js'
import { presentPolicy } from './policy-present.js'
import * as store from './policies.store.js'
import { batches, webhookCovers, type Policy } from './policy.js'
import * as queue from './policy-webhook.store.js'
import type { WebhookSettingsSource } from './webhook-settings.js'

export interface WebhookDeliveryOptions {
  /** Waits between attempts of one request; its length + 1 is the number of attempts. */
  retryDelaysMs?: readonly number[]
  /** Per-attempt timeout. */
  timeoutMs?: number
}

const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000]
const DEFAULT_TIMEOUT_MS = 30_000

/** POSTs JSON; true on a 2xx answer, after retrying failures and non-2xx answers. */
async function postWithRetries(
  url: string,
  body: unknown,
  options: WebhookDeliveryOptions,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS
  let error = ''
  for (let attempt = 0; attempt <= delays.length; attempt += 1) {
    if (attempt > 0) {
      await new Promise((resolve) => setTimeout(resolve, delays[attempt - 1]))
    }
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      })
      await res.body?.cancel()
      if (res.ok) {
        return { ok: true }
      }
      error = `HTTP ${res.status}`
    } catch (err) {
      error = errorMessage(err)
    }
  }
  return { ok: false, error }
}

export interface DeliveryReport extends Record<string, number> {
  requests: number
  hostsSent: number
  policiesFailed: number
  policiesDropped: number
}

/**
 * Sends each policy's queued hosts to its webhook, in batches of `host_batch_size` (0: one
 * request), with Fleet's payload. A batch leaves the queue once delivered; a batch that still
 * fails after its retries stays queued for the next run (and the policy's later batches wait).
 * Queues of policies whose webhook was turned off, or no longer lists them, are emptied.
 */
export async function deliverFailingPolicies(
  deps: Pick<Deps, 'db' | 'clock' | 'log'>,
  settings: WebhookSettingsSource,
  options: WebhookDeliveryOptions = {},
): Promise<DeliveryReport> {
  const report: DeliveryReport = {
    requests: 0,
    hostsSent: 0,
    policiesFailed: 0,
    policiesDropped: 0,
  }
  const serverUrl = await settings.serverUrl()
  for (const policyId of await queue.queuedPolicyIds(deps.db)) {
    const policy = await store.findPolicy(deps.db, policyId)
    const hook = policy ? await settings.webhookFor(policy.teamId) : undefined
    if (!policy || !webhookCovers(hook, policy.id)) {
      await queue.dropQueue(deps.db, policyId)
      report.policiesDropped += 1
      continue
    }
    const hosts = await queue.queuedHosts(deps.db, policyId)
    for (const batch of batches(hosts, hook.host_batch_size)) {
      const payload = payloadOf(policy, batch, serverUrl, deps.clock.now().getTime())
      report.requests += 1
      const result = await postWithRetries(hook.destination_url, payload, options)
      if (!result.ok) {
        deps.log.warn(
          { policyId, destination: hook.destination_url, err: result.error },
          'failing-policies webhook failed; its hosts stay queued for the next run',
        )
        report.policiesFailed += 1
        break
      }
      await queue.dequeueHosts(
        deps.db,
        policyId,
        batch.map((h) => h.id),
      )
      report.hostsSent += batch.length
    }
  }
  return report
}

function payloadOf(
  policy: Policy,
  hosts: readonly queue.QueuedHost[],
  serverUrl: string,
  now: number,
): FailingPolicyWebhookPayload {
  return {
    timestamp: isoTime(now),
    policy: presentPolicy(policy),
    hosts: hosts.map((h) => ({
      id: h.id,
      hostname: h.hostname,
      display_name: h.computerName || h.hostname,
      url: `${serverUrl}/hosts/${h.id}`,
    })),
  }
}
