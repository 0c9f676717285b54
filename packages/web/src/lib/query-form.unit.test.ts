import type { Query } from '@fleet/api'
import { FleetApiError } from '@fleet/client/browser'
import { describe, expect, it } from 'vitest'
import {
  createBody,
  emptyQueryForm,
  fieldErrors,
  formFromQuery,
  intervalText,
  modifyBody,
  platformText,
} from './query-form.js'

const saved: Query = {
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-02T00:00:00Z',
  id: 7,
  name: 'Users',
  description: 'Local accounts',
  query: 'SELECT * FROM users',
  team_id: 3,
  interval: 3600,
  platform: 'linux,darwin',
  min_osquery_version: '5.4.0',
  automations_enabled: true,
  logging: 'differential',
  saved: true,
  observer_can_run: true,
  discard_data: false,
  author_id: 1,
  author_name: 'Ada',
  author_email: 'ada@example.com',
  packs: [],
  stats: {
    system_time_p50: null,
    system_time_p95: null,
    user_time_p50: null,
    user_time_p95: null,
    total_executions: null,
  },
}

describe('the query form', () => {
  it("round-trips a saved query's fields, platforms in Fleet's order", () => {
    const form = formFromQuery(saved)
    expect(form.platforms).toEqual(['linux', 'darwin'])
    expect(modifyBody(form)).toEqual({
      name: 'Users',
      description: 'Local accounts',
      query: 'SELECT * FROM users',
      interval: 3600,
      platform: 'darwin,linux',
      min_osquery_version: '5.4.0',
      logging: 'differential',
      automations_enabled: true,
      discard_data: false,
      observer_can_run: true,
    })
    expect(modifyBody(form)).not.toHaveProperty('team_id')
  })

  it('creates for the chosen team, or global; no platform ticked means all', () => {
    expect(createBody(emptyQueryForm(4, 'SELECT 1'))).toMatchObject({
      team_id: 4,
      query: 'SELECT 1',
      platform: '',
      interval: 0,
      logging: 'snapshot',
    })
    expect(createBody(emptyQueryForm(null)).team_id).toBeNull()
  })

  it('says schedules and platforms in words', () => {
    expect(intervalText(0)).toBe('Never')
    expect(intervalText(3600)).toBe('Every hour')
    expect(intervalText(90)).toBe('Every 90 seconds')
    expect(intervalText(1)).toBe('Every 1 second')
    expect(platformText('')).toBe('All platforms')
    expect(platformText('darwin,linux')).toBe('macOS, Linux')
  })

  it("puts the server's field errors in the form's words", () => {
    const refused = new FleetApiError({
      status: 400,
      code: 'INVALID_ARGUMENT',
      message: 'Bad request',
      errors: [
        { name: 'min_osquery_version', reason: 'must be a version like 5.4.0, or empty' },
        { name: 'interval', reason: 'must be at most 604800 seconds (one week)' },
        { name: 'base', reason: 'Bad request' },
      ],
      method: 'POST',
      url: '/api/latest/fleet/queries',
    })
    expect(fieldErrors(refused)).toEqual({
      min_osquery_version: 'Minimum osquery version: must be a version like 5.4.0, or empty',
      interval: 'Frequency: must be at most 604800 seconds (one week)',
    })
    const down = new FleetApiError({ ...refused, status: 500, errors: refused.errors })
    expect(fieldErrors(down)).toEqual({})
    expect(fieldErrors(new Error('offline'))).toEqual({})
  })
})
