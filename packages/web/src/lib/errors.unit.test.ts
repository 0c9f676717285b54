import { FleetApiError, FleetConnectionError } from '@fleet/client/browser'
import { describe, expect, it } from 'vitest'
import { describeError, isRetryable } from './errors.js'

const apiError = (
  status: number,
  message: string,
  errors: { name: string; reason: string }[] = [],
) => new FleetApiError({ status, code: 'X', message, errors, method: 'GET', url: '/api/x' })

describe('error wording', () => {
  it("says a 403 is no access, with the server's message", () => {
    expect(describeError(apiError(403, 'forbidden: observers cannot delete hosts'))).toEqual({
      title: "You don't have access",
      detail: 'forbidden: observers cannot delete hosts',
    })
  })

  it('names the fields of a refused request', () => {
    const view = describeError(
      apiError(422, 'Validation Failed', [{ name: 'admin.password', reason: 'too short' }]),
    )
    expect(view.detail).toBe('Validation Failed (admin.password: too short)')
  })

  it('words server errors and lost connections plainly, and retries only those', () => {
    const down = apiError(503, 'database unavailable')
    expect(describeError(down).title).toBe('The server had a problem')
    expect(isRetryable(down)).toBe(true)
    const offline = new FleetConnectionError('this server', new TypeError('Failed to fetch'))
    expect(describeError(offline).title).toBe('Cannot reach the server')
    expect(isRetryable(offline)).toBe(true)
    expect(isRetryable(apiError(404, 'Resource Not Found'))).toBe(false)
    expect(isRetryable(new Error('bug'))).toBe(false)
  })
})
