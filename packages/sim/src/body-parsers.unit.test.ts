import { DistributedReadResponse } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { anyObject, distributedRead } from './body-parsers.js'

describe('distributedRead', () => {
  it('agrees with the DistributedReadResponse schema of @fleet/api', () => {
    const cases: unknown[] = [
      { queries: {}, discovery: {} },
      {
        queries: { fleet_label_query_7: 'SELECT 1' },
        discovery: { fleet_label_query_7: 'SELECT 1' },
      },
      { queries: {}, discovery: {}, accelerate: 10 },
      { queries: {}, discovery: {}, accelerate: 1.5 },
      { queries: { a: 1 }, discovery: {} },
      { queries: {} },
      { queries: [], discovery: {} },
      null,
      [],
      'x',
    ]
    for (const body of cases) {
      const schema = DistributedReadResponse.safeParse(body)
      expect(distributedRead(body)).toEqual(schema.success ? schema.data : undefined)
    }
  })
})

describe('anyObject', () => {
  it('accepts objects only', () => {
    expect(anyObject({})).toEqual({})
    expect(anyObject([])).toBeUndefined()
    expect(anyObject(null)).toBeUndefined()
  })
})
