import { describe, expect, it } from 'vitest'
import { webhookIntervalMs } from './policies.cron.js'
import { isLinux } from '../hosts/index.js'
import {
  batches,
  flips,
  policyAppliesTo,
  responseOf,
  webhookCovers,
  type PolicyResult,
} from './policy.js'

describe('policyAppliesTo', () => {
  it('sends platform-less policies everywhere and others to their platforms', () => {
    expect(policyAppliesTo('', 'windows', isLinux)).toBe(true)
    expect(policyAppliesTo('darwin', 'darwin', isLinux)).toBe(true)
    expect(policyAppliesTo('darwin', 'windows', isLinux)).toBe(false)
    expect(policyAppliesTo('darwin,windows', 'windows', isLinux)).toBe(true)
  })

  it('lets "linux" cover every Linux distribution', () => {
    expect(policyAppliesTo('linux', 'ubuntu', isLinux)).toBe(true)
    expect(policyAppliesTo('linux', 'rhel', isLinux)).toBe(true)
    expect(policyAppliesTo('linux', 'darwin', isLinux)).toBe(false)
    expect(policyAppliesTo('chrome', 'ubuntu', isLinux)).toBe(false)
  })
})

describe('flips', () => {
  const map = (entries: [number, PolicyResult][]) => new Map(entries)

  it('counts a first failure and a pass → fail as newly failing, not a fail that stays', () => {
    const previous = map([
      [1, true],
      [2, false],
      [4, null],
    ])
    const incoming = map([
      [1, false],
      [2, false],
      [3, false],
      [4, false],
    ])
    expect(flips(previous, incoming)).toEqual({ newlyFailing: [1, 3, 4], newlyPassing: [] })
  })

  it('counts fail → pass as newly passing; errors flip nothing', () => {
    const previous = map([
      [1, false],
      [2, false],
      [3, true],
    ])
    const incoming = map([
      [1, true],
      [2, null],
      [3, null],
    ])
    expect(flips(previous, incoming)).toEqual({ newlyFailing: [], newlyPassing: [1] })
  })
})

describe('helpers', () => {
  it("answers Fleet's response strings", () => {
    expect([responseOf(true), responseOf(false), responseOf(null), responseOf(undefined)]).toEqual([
      'pass',
      'fail',
      '',
      '',
    ])
  })

  it('batches by size, with 0 meaning one batch', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
    expect(batches([1, 2, 3], 0)).toEqual([[1, 2, 3]])
    expect(batches([], 3)).toEqual([])
  })

  it('covers a policy only when the webhook is on, has a destination and lists it', () => {
    const hook = {
      enable_failing_policies_webhook: true,
      destination_url: 'https://hooks.example.com',
      policy_ids: [3],
      host_batch_size: 0,
    }
    expect(webhookCovers(hook, 3)).toBe(true)
    expect(webhookCovers(hook, 4)).toBe(false)
    expect(webhookCovers({ ...hook, enable_failing_policies_webhook: false }, 3)).toBe(false)
    expect(webhookCovers({ ...hook, destination_url: '' }, 3)).toBe(false)
    expect(webhookCovers(undefined, 3)).toBe(false)
  })
})

describe('webhookIntervalMs', () => {
  it("reads Fleet's webhook_settings.interval, defaulting to 24h and never under a minute", () => {
    expect(webhookIntervalMs('24h0m0s')).toBe(24 * 3_600_000)
    expect(webhookIntervalMs('30m')).toBe(30 * 60_000)
    expect(webhookIntervalMs('1s')).toBe(60_000)
    expect(webhookIntervalMs('soon')).toBe(24 * 3_600_000)
    expect(webhookIntervalMs('0')).toBe(24 * 3_600_000)
  })
})
