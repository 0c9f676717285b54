import type { LiveQuerySocketMessage } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import {
  initialLiveResults,
  liveProgress,
  liveResultsReducer,
  type LiveEvent,
  type LiveResults,
} from './live-results.js'

const msg = (message: LiveQuerySocketMessage): LiveEvent => ({ type: 'message', message })
const result = (
  id: number,
  rows: Record<string, string>[],
  error: string | null = null,
): LiveEvent =>
  msg({
    type: 'result',
    data: {
      distributed_query_execution_id: 1,
      host: { id, hostname: `h${id}`, display_name: `Host ${id}` },
      rows: rows.map((r) => ({ ...r, host_hostname: `h${id}`, host_display_name: `Host ${id}` })),
      error,
    },
  })
const run = (...events: LiveEvent[]): LiveResults =>
  events.reduce(liveResultsReducer, initialLiveResults)

describe('liveResultsReducer', () => {
  it('gathers rows, the union of columns with the host first, and the progress', () => {
    const state = run(
      { type: 'open' },
      msg({ type: 'totals', data: { count: 3, online: 2, offline: 1, missing_in_action: 0 } }),
      result(1, [{ version: '22.04' }]),
      result(2, [{ version: '14.1', build: '23B' }, { version: '14.2' }]),
    )
    expect(state.connection).toBe('open')
    expect(state.rows).toHaveLength(3)
    expect(state.columns).toEqual(['host_display_name', 'host_hostname', 'version', 'build'])
    expect(liveProgress(state)).toEqual({ responded: 2, online: 2, total: 3 })
  })

  it('puts a failed answer in the errors, not the rows, and counts it as responded', () => {
    const state = run(result(1, [], 'no such table: nope'), result(2, []))
    expect(state.errors).toEqual([
      { hostId: 1, hostname: 'h1', displayName: 'Host 1', error: 'no such table: nope' },
    ])
    expect(state.rows).toEqual([])
    expect(state.columns).toEqual([])
    expect(state.responded.size).toBe(2)
  })

  it("counts a host's answer once when it comes again after a reconnection", () => {
    const state = run(
      result(1, [{ a: '1' }]),
      { type: 'dropped' },
      { type: 'open' },
      result(1, [{ a: '1' }]),
    )
    expect(state.rows).toHaveLength(1)
    expect(state.drops).toBe(1)
    expect(state.connection).toBe('open')
  })

  it('follows the server status to finished', () => {
    const pending = run(
      msg({ type: 'status', data: { expected_results: 2, actual_results: 1, status: 'pending' } }),
    )
    expect(pending.finished).toBe(false)
    const done = liveResultsReducer(
      pending,
      msg({ type: 'status', data: { expected_results: 2, actual_results: 2, status: 'finished' } }),
    )
    expect(done.finished).toBe(true)
  })

  it("ends on the server's error and ignores anything after it", () => {
    const state = run(
      msg({ type: 'error', data: 'campaign 9 is not running' }),
      result(1, [{ a: '1' }]),
      { type: 'dropped' },
      { type: 'open' },
      { type: 'stopped' },
    )
    expect(state.connection).toBe('failed')
    expect(state.failure).toBe('campaign 9 is not running')
    expect(state.rows).toEqual([])
  })

  it('keeps what arrived when stopped, and takes nothing more', () => {
    const state = run(result(1, [{ a: '1' }]), { type: 'stopped' }, result(2, [{ a: '2' }]), {
      type: 'gave_up',
      reason: 'x',
    })
    expect(state.connection).toBe('stopped')
    expect(state.rows).toHaveLength(1)
    expect(state.failure).toBeUndefined()
  })

  it('says why when reconnecting gave up', () => {
    const state = run({ type: 'open' }, { type: 'dropped' }, { type: 'gave_up', reason: 'lost' })
    expect(state.connection).toBe('failed')
    expect(state.failure).toBe('lost')
  })
})
