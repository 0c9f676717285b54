import { FleetApiError } from '@fleet/client/browser'
import { describe, expect, it } from 'vitest'
import { isInvalidDeviceLink, policySummary, sortDevicePolicies } from './device.js'

const policy = (id: number, name: string, response: 'pass' | 'fail' | '', critical = false) => ({
  id,
  name,
  response,
  critical,
})

const apiError = (status: number) =>
  new FleetApiError({ status, code: 'X', message: 'm', errors: [], method: 'GET', url: '/' })

describe('sortDevicePolicies', () => {
  it('puts critical failures first, then failures, unanswered, passing; by name within', () => {
    const sorted = sortDevicePolicies([
      policy(1, 'b pass', 'pass'),
      policy(2, 'z fail', 'fail'),
      policy(3, 'pending', ''),
      policy(4, 'a fail', 'fail'),
      policy(5, 'critical fail', 'fail', true),
      policy(6, 'a pass', 'pass', true),
    ])
    expect(sorted.map((p) => p.id)).toEqual([5, 4, 2, 3, 6, 1])
  })
})

describe('policySummary', () => {
  it('counts failures in words', () => {
    expect(policySummary([])).toBe('No policies apply to this device.')
    expect(policySummary([policy(1, 'a', 'fail'), policy(2, 'b', 'pass')])).toBe(
      '1 policy needs your attention.',
    )
    expect(policySummary([policy(1, 'a', 'fail'), policy(2, 'b', 'fail')])).toBe(
      '2 policies need your attention.',
    )
    expect(policySummary([policy(1, 'a', ''), policy(2, 'b', 'pass')])).toBe(
      'No failing policies; 1 not checked yet.',
    )
    expect(policySummary([policy(1, 'a', 'pass')])).toBe('Your device passes every policy.')
  })
})

describe('isInvalidDeviceLink', () => {
  it('is the link for 401 and 404, not for server errors, rate limits or other errors', () => {
    expect(isInvalidDeviceLink(apiError(401))).toBe(true)
    expect(isInvalidDeviceLink(apiError(404))).toBe(true)
    expect(isInvalidDeviceLink(apiError(500))).toBe(false)
    expect(isInvalidDeviceLink(apiError(429))).toBe(false)
    expect(isInvalidDeviceLink(new Error('boom'))).toBe(false)
  })
})
