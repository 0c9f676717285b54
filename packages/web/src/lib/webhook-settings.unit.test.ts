import { describe, expect, it } from 'vitest'
import { toWebhookForm, toWebhookPatch } from './webhook-settings.js'

const form = {
  enabled: true,
  destinationUrl: ' https://hooks.example.com/fleet ',
  policyIds: [3, 1, 3],
  hostBatchSize: '100',
}

describe('failing-policies webhook form', () => {
  it('builds the patch with a trimmed URL, sorted unique ids and a number', () => {
    expect(toWebhookPatch(form)).toEqual({
      patch: {
        enable_failing_policies_webhook: true,
        destination_url: 'https://hooks.example.com/fleet',
        policy_ids: [1, 3],
        host_batch_size: 100,
      },
    })
  })

  it('reads an empty batch size as 0 (all hosts in one request)', () => {
    const result = toWebhookPatch({ ...form, hostBatchSize: '' })
    expect(result).toHaveProperty('patch.host_batch_size', 0)
  })

  it('refuses a missing or non-http URL when enabled, and a bad batch size', () => {
    expect(toWebhookPatch({ ...form, destinationUrl: '' })).toHaveProperty('error')
    expect(toWebhookPatch({ ...form, destinationUrl: 'ftp://x.example' })).toHaveProperty('error')
    expect(toWebhookPatch({ ...form, destinationUrl: 'not a url' })).toHaveProperty('error')
    expect(toWebhookPatch({ ...form, hostBatchSize: '-1' })).toHaveProperty('error')
    expect(toWebhookPatch({ ...form, hostBatchSize: '2.5' })).toHaveProperty('error')
  })

  it('lets a disabled webhook keep an empty URL but not a malformed one', () => {
    expect(toWebhookPatch({ ...form, enabled: false, destinationUrl: '' })).toHaveProperty('patch')
    expect(
      toWebhookPatch({ ...form, enabled: false, destinationUrl: 'javascript:x' }),
    ).toHaveProperty('error')
  })

  it('round-trips stored settings', () => {
    const stored = {
      enable_failing_policies_webhook: false,
      destination_url: 'https://a.example',
      policy_ids: [2],
      host_batch_size: 0,
    }
    expect(toWebhookPatch(toWebhookForm(stored))).toEqual({ patch: stored })
  })
})
