import type { Role } from '@fleet/api'
import type { Dialect } from '../platform/db/index.js'
import { fixtureBlock } from './osquery-fixtures.js'
import { asRecord, startTestServer, type ApiResponse, type TestServer } from './test-server.js'
import { FLEET_API } from '@fleet/test-support'

const SECRET = 'live-query-secret'
export const PREFIX = 'fleet_distributed_query_'

export interface FixtureHost {
  id: number
  nodeKey: string
  hostname: string
}

/**
 * A server with four hosts — h1 on no team, h2 and h4 on team A, h3 on team B — a manual label
 * "Pair" holding h1 and h2, and users of every role (team users on team A).
 */
export interface LiveFixture {
  t: TestServer
  admin: string
  users: Record<
    'observer' | 'observerPlus' | 'maintainer' | 'gitops' | 'teamMaintainer' | 'teamObserver',
    { id: number; token: string }
  >
  teams: { a: number; b: number }
  hosts: Record<'h1' | 'h2' | 'h3' | 'h4', FixtureHost>
  pairLabel: number
  /** distributed/read: name → SQL. */
  read(host: FixtureHost): Promise<Record<string, string>>
  /** Only the live queries of a distributed/read, by campaign id. */
  liveQueries(host: FixtureHost): Promise<Record<number, string>>
  /** distributed/write of the given answers (a failed query: `{ failed: message }`). */
  answer(
    host: FixtureHost,
    answers: Record<string, Record<string, unknown>[] | { failed: string }>,
  ): Promise<void>
  /** POST a live query campaign; returns the response. */
  run(token: string, body: unknown, path?: string): Promise<ApiResponse>
}

async function enroll(
  t: TestServer,
  admin: string,
  uuid: string,
  hostname: string,
): Promise<FixtureHost> {
  const res = await t.request('POST', '/api/osquery/enroll', {
    body: fixtureBlock('ubuntu_22.04', 'enroll', { uuid, hostname, enrollSecret: SECRET }),
  })
  const nodeKey = String(res.data().node_key)
  const lookup = await t.request('GET', `${FLEET_API}/hosts/identifier/${uuid}`, {
    token: admin,
  })
  return { id: Number(asRecord(lookup.data().host).id), nodeKey, hostname }
}

export async function startLiveFixture(
  dialect: Dialect,
  flags: Record<string, string> = {},
): Promise<LiveFixture> {
  const t = await startTestServer(dialect, { flags: { 'live_query.rest_period': '3s', ...flags } })
  const admin = await t.setupAdmin()
  const team = async (name: string) => {
    const res = await t.request('POST', `${FLEET_API}/teams`, { token: admin, body: { name } })
    return Number(asRecord(res.data().team).id)
  }
  const teams = { a: await team('Team A'), b: await team('Team B') }
  const user = (email: string, globalRole: Role | null, teamRole?: Role) =>
    t.createUser(admin, {
      email,
      globalRole,
      teams: teamRole ? [{ id: teams.a, role: teamRole }] : [],
      apiOnly: globalRole === 'gitops',
    })
  const users = {
    observer: await user('lq-observer@example.com', 'observer'),
    observerPlus: await user('lq-observer-plus@example.com', 'observer_plus'),
    maintainer: await user('lq-maintainer@example.com', 'maintainer'),
    gitops: await user('lq-gitops@example.com', 'gitops'),
    teamMaintainer: await user('lq-team-maintainer@example.com', null, 'maintainer'),
    teamObserver: await user('lq-team-observer@example.com', null, 'observer'),
  }
  await t.request('POST', `${FLEET_API}/spec/enroll_secret`, {
    token: admin,
    body: { spec: { secrets: [{ secret: SECRET }] } },
  })
  const hosts = {
    h1: await enroll(t, admin, 'LQ-1', 'lq-host-1'),
    h2: await enroll(t, admin, 'LQ-2', 'lq-host-2'),
    h3: await enroll(t, admin, 'LQ-3', 'lq-host-3'),
    h4: await enroll(t, admin, 'LQ-4', 'lq-host-4'),
  }
  const transfer = (teamId: number, ids: number[]) =>
    t.request('POST', `${FLEET_API}/hosts/transfer`, {
      token: admin,
      body: { team_id: teamId, hosts: ids },
    })
  await transfer(teams.a, [hosts.h2.id, hosts.h4.id])
  await transfer(teams.b, [hosts.h3.id])
  const label = await t.request('POST', `${FLEET_API}/labels`, {
    token: admin,
    body: { name: 'Pair', label_membership_type: 'manual', host_ids: [hosts.h1.id, hosts.h2.id] },
  })
  const pairLabel = Number(asRecord(label.data().label).id)

  const read = async (host: FixtureHost) => {
    const res = await t.request('POST', '/api/osquery/distributed/read', {
      body: { node_key: host.nodeKey },
    })
    const queries = asRecord(res.data().queries)
    return Object.fromEntries(Object.entries(queries).map(([name, sql]) => [name, String(sql)]))
  }
  return {
    t,
    admin,
    users,
    teams,
    hosts,
    pairLabel,
    read,
    liveQueries: async (host) => {
      const live: Record<number, string> = {}
      for (const [name, sql] of Object.entries(await read(host))) {
        if (name.startsWith(PREFIX)) {
          live[Number(name.slice(PREFIX.length))] = sql
        }
      }
      return live
    },
    answer: async (host, answers) => {
      const queries: Record<string, unknown> = {}
      const statuses: Record<string, number> = {}
      const messages: Record<string, string> = {}
      for (const [name, value] of Object.entries(answers)) {
        if (Array.isArray(value)) {
          queries[name] = value
          statuses[name] = 0
        } else {
          queries[name] = ''
          statuses[name] = 1
          messages[name] = value.failed
        }
      }
      const res = await t.request('POST', '/api/osquery/distributed/write', {
        body: { node_key: host.nodeKey, queries, statuses, messages },
      })
      if (res.statusCode !== 200) {
        throw new Error(`distributed/write: ${res.statusCode} ${res.body}`)
      }
    },
    run: (token, body, path = '/queries/run') =>
      t.request('POST', `${FLEET_API}${path}`, { token, body }),
  }
}
