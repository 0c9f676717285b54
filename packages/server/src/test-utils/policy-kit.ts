import { expect } from 'vitest'
import { fixtureBlock } from './osquery-fixtures.js'
import { asRecord, type TestServer } from './test-server.js'
import { FLEET_API } from '@fleet/test-support'

export const POLICY = 'fleet_policy_query_'

export type Answer = 'pass' | 'fail' | 'error'

/** An osquery host enrolled through the real enroll endpoint. */
export interface EnrolledHost {
  id: number
  nodeKey: string
  uuid: string
}

/** Helpers shared by the policy tests: hosts that check in, and policies created over the API. */
export function policyKit(t: TestServer) {
  const request = t.request

  async function addSecret(token: string, secret: string): Promise<void> {
    const res = await request('POST', `${FLEET_API}/spec/enroll_secret`, {
      token,
      body: { spec: { secrets: [{ secret }] } },
    })
    expect(res.statusCode, res.body).toBe(200)
  }

  async function createTeam(token: string, name: string, secret: string): Promise<number> {
    const res = await request('POST', `${FLEET_API}/teams`, {
      token,
      body: { name, secrets: [{ secret }] },
    })
    expect(res.statusCode, res.body).toBe(200)
    return Number(asRecord(res.data().team).id)
  }

  async function enroll(
    template: 'ubuntu_22.04' | 'windows_11' | 'mac10.14.6',
    uuid: string,
    secret: string,
  ): Promise<EnrolledHost> {
    const res = await request('POST', '/api/osquery/enroll', {
      body: fixtureBlock(template, 'enroll', {
        uuid,
        hostname: `host-${uuid}`,
        enrollSecret: secret,
      }),
    })
    expect(res.statusCode, res.body).toBe(200)
    const row = await t.deps.db
      .selectFrom('hosts')
      .select('id')
      .where('uuid', '=', uuid)
      .executeTakeFirstOrThrow()
    return { id: row.id, nodeKey: String(res.data().node_key), uuid }
  }

  /** The queries a host is asked on check-in. */
  async function read(host: EnrolledHost): Promise<Record<string, unknown>> {
    const res = await request('POST', '/api/osquery/distributed/read', {
      body: { node_key: host.nodeKey },
    })
    expect(res.statusCode, res.body).toBe(200)
    return asRecord(res.data().queries)
  }

  /** Policy ids among query names. */
  function policyIds(queries: Record<string, unknown>): number[] {
    return Object.keys(queries)
      .filter((name) => name.startsWith(POLICY))
      .map((name) => Number(name.slice(POLICY.length)))
      .sort((a, b) => a - b)
  }

  /**
   * Answers every query in `queries` with no rows (so details and labels are done), and the
   * policies in `answers` as told; `extra` adds results the host was not asked for.
   */
  async function answer(
    host: EnrolledHost,
    queries: Record<string, unknown>,
    answers: Record<number, Answer> = {},
    extra: Record<number, Answer> = {},
  ): Promise<void> {
    const results: Record<string, unknown> = {}
    const statuses: Record<string, number> = {}
    for (const name of Object.keys(queries)) {
      results[name] = []
    }
    for (const [id, value] of Object.entries({ ...answers, ...extra })) {
      const name = `${POLICY}${id}`
      results[name] = value === 'pass' ? [{ '1': '1' }] : []
      if (value === 'error') {
        statuses[name] = 1
      }
    }
    const res = await request('POST', '/api/osquery/distributed/write', {
      body: { node_key: host.nodeKey, queries: results, statuses },
    })
    expect(res.statusCode, res.body).toBe(200)
  }

  /** Reads, then answers: the ids of the policies the host was asked. */
  async function checkIn(host: EnrolledHost, answers: Record<number, Answer> = {}) {
    const queries = await read(host)
    await answer(host, queries, answers)
    return policyIds(queries)
  }

  async function createPolicy(
    token: string,
    body: Record<string, unknown>,
    teamId?: number,
  ): Promise<number> {
    const path =
      teamId === undefined ? `${FLEET_API}/policies` : `${FLEET_API}/teams/${teamId}/policies`
    const res = await request('POST', path, { token, body })
    expect(res.statusCode, res.body).toBe(200)
    return Number(asRecord(res.data().policy).id)
  }

  return { addSecret, createTeam, enroll, read, answer, checkIn, policyIds, createPolicy }
}
