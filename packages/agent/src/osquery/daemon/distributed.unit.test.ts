import { describe, expect, it } from 'vitest'
import { parseWork, runWork } from './distributed.js'
import { interpret } from '../../transport/remote-client.js'
import { redact } from './session.js'
import { fakeEngine } from './test-fixtures/fake-engine.js'

describe('parseWork', () => {
  it('reads queries, discovery and accelerate, skipping bad entries', () => {
    expect(
      parseWork({
        queries: { a: 'SELECT 1', b: '', c: 3 },
        discovery: { a: 'SELECT 1' },
        accelerate: 10,
      }),
    ).toEqual({ queries: { a: 'SELECT 1' }, discovery: { a: 'SELECT 1' }, accelerate: 10 })
    expect(parseWork({})).toEqual({ queries: {}, discovery: {}, accelerate: undefined })
    expect(parseWork(null).accelerate).toBeUndefined()
  })
})

describe('runWork', () => {
  it('runs queries whose discovery passes and reports rows, statuses and messages', () => {
    const engine = fakeEngine({
      os_version: [{ name: 'Ubuntu', platform: 'ubuntu' }],
      system_info: [{ hostname: 'web-1' }],
    })
    let clock = 0
    const results = runWork(
      engine,
      {
        queries: {
          fleet_detail_query_os_version: 'SELECT * FROM os_version',
          fleet_label_query_7: 'SELECT hostname FROM system_info',
          fleet_detail_query_chrome: 'SELECT * FROM chrome_extensions',
          fleet_distributed_query_30: 'SELECT * FROM nope',
          fleet_detail_query_mdm: 'SELECT * FROM mdm',
        },
        discovery: {
          fleet_detail_query_os_version: 'SELECT platform FROM os_version',
          fleet_detail_query_mdm: 'SELECT * FROM missing_table',
          fleet_detail_query_chrome: 'SELECT * FROM system_info',
        },
        accelerate: undefined,
      },
      () => (clock += 2),
    )
    expect(results).toEqual({
      queries: {
        fleet_detail_query_os_version: [{ name: 'Ubuntu', platform: 'ubuntu' }],
        fleet_label_query_7: [{ hostname: 'web-1' }],
        fleet_detail_query_chrome: '',
        fleet_distributed_query_30: '',
      },
      statuses: {
        fleet_detail_query_os_version: 0,
        fleet_label_query_7: 0,
        fleet_detail_query_chrome: 1,
        fleet_distributed_query_30: 1,
      },
      messages: {
        fleet_detail_query_chrome: 'no such table: chrome_extensions',
        fleet_distributed_query_30: 'no such table: nope',
      },
      stats: {
        fleet_detail_query_os_version: { wall_time_ms: 2 },
        fleet_label_query_7: { wall_time_ms: 2 },
        fleet_detail_query_chrome: { wall_time_ms: 2 },
        fleet_distributed_query_30: { wall_time_ms: 2 },
      },
    })
  })
})

describe('interpret (TLS responses)', () => {
  it('treats node_invalid as re-enroll whatever the status', () => {
    expect(interpret(401, '{"error":"invalid node key: abc","node_invalid":true}')).toEqual({
      kind: 'node-invalid',
      error: 'invalid node key: abc',
    })
    expect(interpret(200, '{"node_invalid":true}').kind).toBe('node-invalid')
  })

  it('marks 5xx, 408 and 429 retryable, other 4xx not', () => {
    expect(interpret(503, '')).toMatchObject({ kind: 'error', retryable: true })
    expect(interpret(429, '{}')).toMatchObject({ kind: 'error', retryable: true })
    expect(interpret(400, '{"error":"invalid request body"}')).toEqual({
      kind: 'error',
      status: 400,
      error: 'HTTP 400: invalid request body',
      retryable: false,
    })
  })

  it('accepts an empty body as {} and refuses non-JSON success', () => {
    expect(interpret(200, '')).toEqual({ kind: 'ok', status: 200, body: {} })
    expect(interpret(200, '<html>')).toMatchObject({ kind: 'error', retryable: true })
    expect(interpret(200, undefined)).toEqual({ kind: 'ok', status: 200, body: {} })
  })

  it('redacts secrets the server echoes', () => {
    expect(redact('invalid node key: abc123', ['abc123', undefined])).toBe(
      'invalid node key: <redacted>',
    )
  })
})
