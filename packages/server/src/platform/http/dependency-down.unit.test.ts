import { describe, expect, it } from 'vitest'
import { createAuthorizer } from '../authz/index.js'
import { dependencyDown, UnavailableError } from '../errors/index.js'
import { silentLogger } from '../logger.js'
import { createHttpApp } from './app.js'

describe('dependencyDown', () => {
  it('names the database for connection errors of every driver, and the disk when full', () => {
    for (const code of ['ECONNREFUSED', 'PROTOCOL_CONNECTION_LOST', '57P01', 'SQLITE_BUSY']) {
      expect(dependencyDown(Object.assign(new Error('x'), { code }))?.details).toEqual([
        { name: 'base', reason: 'the database is unavailable' },
      ])
    }
    expect(dependencyDown(Object.assign(new Error('x'), { code: 'SQLITE_FULL' }))?.details).toEqual(
      [{ name: 'base', reason: 'the disk is full' }],
    )
    expect(dependencyDown(new Error('Connection terminated unexpectedly'))).toBeInstanceOf(
      UnavailableError,
    )
    expect(dependencyDown(Object.assign(new Error('x'), { code: 'ER_DUP_ENTRY' }))).toBeUndefined()
    expect(dependencyDown(new TypeError('bug'))).toBeUndefined()
  })
})

describe('a request whose database is down', () => {
  it('gets 503 with the reason, in Fleet’s and osquery’s shapes, without the driver’s text', async () => {
    const app = createHttpApp({
      log: silentLogger(),
      authorizer: createAuthorizer({}),
      bodyLimit: 1024,
      trustProxy: false,
    })
    const down = () =>
      Promise.reject(
        Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:3306 user fleet'), {
          code: 'ECONNREFUSED',
        }),
      )
    app.get('/api/latest/fleet/thing', down)
    app.post('/api/osquery/thing', { config: { errorShape: 'osquery' } }, down)
    const rest = await app.inject({ method: 'GET', url: '/api/latest/fleet/thing' })
    expect(rest.statusCode).toBe(503)
    expect(rest.json()).toEqual({
      message: 'Service Unavailable',
      code: 'UNAVAILABLE',
      errors: [{ name: 'base', reason: 'the database is unavailable' }],
    })
    const agent = await app.inject({ method: 'POST', url: '/api/osquery/thing', payload: {} })
    expect(agent.statusCode).toBe(503)
    expect(agent.json()).toEqual({ error: 'the database is unavailable' })
    expect(rest.body + agent.body).not.toContain('10.0.0.5')
    await app.close()
  })
})
