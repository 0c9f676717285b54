import { getTeam, setup } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { encodeQuery, fillPath, requestPath } from './url.js'

describe('requestPath', () => {
  it('uses /api/latest/fleet for fleet endpoints and /api/v1 for api endpoints', () => {
    expect(requestPath(getTeam)).toBe('/api/latest/fleet/teams/:id')
    expect(requestPath(setup)).toBe('/api/v1/setup')
  })
})

describe('fillPath', () => {
  it('substitutes and encodes every :param', () => {
    expect(fillPath('/teams/:id/users/:user_id', { id: 3, user_id: 'a/b' })).toBe(
      '/teams/3/users/a%2Fb',
    )
  })

  it('throws on a missing param', () => {
    expect(() => fillPath('/teams/:id', {})).toThrow('missing path parameter "id" for /teams/:id')
    expect(() => fillPath('/teams/:id', undefined)).toThrow(/missing path parameter/)
  })
})

describe('encodeQuery', () => {
  it('returns an empty string for nothing to encode', () => {
    expect(encodeQuery(undefined)).toBe('')
    expect(encodeQuery({ a: undefined, b: null })).toBe('')
  })

  it('repeats array keys and stringifies scalars', () => {
    expect(encodeQuery({ id: [1, 2], force: true, q: 'x y' })).toBe('?id=1&id=2&force=true&q=x+y')
  })
})
