import { ALL_ENDPOINTS, buildOpenApi, endpointPaths } from '@fleet/api'
import { Validator } from '@seriousme/openapi-schema-validator'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './test-utils/test-server.js'
import { SERVER_VERSION } from './version.js'

const DOC_PATH = new URL('../../../docs/openapi.json', import.meta.url)

describe('OpenAPI document', () => {
  const document = buildOpenApi(ALL_ENDPOINTS, SERVER_VERSION)

  it('is valid OpenAPI 3.1', async () => {
    const result = await new Validator().validate(structuredClone(document))
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
  })

  it('matches the checked-in docs/openapi.json (run `npm run openapi` after changing the contract)', () => {
    expect(JSON.parse(readFileSync(DOC_PATH, 'utf8'))).toEqual(document)
  })

  describe('and the server', () => {
    let t: TestServer
    beforeAll(async () => {
      t = await startTestServer()
    })
    afterAll(() => t.close())

    it('serves it', async () => {
      const res = await t.request('GET', '/api/latest/fleet/openapi.json')
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual(document)
    })

    it('routes every documented endpoint on every path it claims', async () => {
      for (const endpoint of ALL_ENDPOINTS) {
        for (const path of endpointPaths(endpoint)) {
          const res = await t.request(endpoint.method, path.replace(/:[a-z_]+/g, '1'))
          expect(res.data().code, `${endpoint.method} ${path}`).not.toBe('ROUTE_NOT_FOUND')
        }
      }
    })
  })
})
