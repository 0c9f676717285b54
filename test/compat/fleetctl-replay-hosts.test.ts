import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSimulation, type Simulation } from '../../packages/sim/src/index.js'
import { waitFor } from '../e2e/support.js'
import { decodedByGo, followCampaign, type GoRequest, type WsMessage } from './go-client.js'
import { asList, asObject, startReplayServer, type ReplayServer } from './replay-server.js'

// Real fleetctl's requests for the host commands and live queries (`get hosts`, `get host X`,
// `hosts transfer`, `query`), replayed against a real `fleet serve` with three simulated osquery
// hosts. The Go source of each request is named above it (fleetdm/fleet).

const SECRET = 'replay-hosts-secret'
const HOSTNAMES = ['sim-ubuntu-22-04-1', 'sim-ubuntu-22-04-2', 'sim-ubuntu-22-04-3']

let rs: ReplayServer
let sim: Simulation | undefined
const send = (method: string, path: string, req: Omit<GoRequest, 'token'> = {}) =>
  rs.go.send(method, path, { ...req, token: rs.token })

/** `get hosts`: GET /api/latest/fleet/hosts?additional_info_filters=* (fleetctl/get.go). */
async function listHosts(extra = ''): Promise<Record<string, unknown>[]> {
  const query = `additional_info_filters=%2A${extra}`
  return asList(decodedByGo(await send('GET', '/api/latest/fleet/hosts', { query })).hosts)
}

async function hostIds(): Promise<Map<string, number>> {
  return new Map((await listHosts()).map((h) => [String(h.hostname), Number(h.id)]))
}

async function createTeam(name: string): Promise<number> {
  const applied = decodedByGo(
    await send('POST', '/api/latest/fleet/spec/teams', { body: { specs: [{ name }] } }),
  )
  return Number(asObject(applied.team_ids_by_name)[name])
}

/** Runs one `fleetctl query` campaign and reads the websocket until every target answered. */
async function liveQuery(body: unknown, expected: number): Promise<WsMessage[]> {
  // LiveQueryWithContext (client_live_query.go): POST /api/latest/fleet/queries/run_by_identifiers
  // with createDistributedQueryCampaignByIdentifierRequest, then the results websocket.
  const created = decodedByGo(
    await send('POST', '/api/latest/fleet/queries/run_by_identifiers', { body }),
  )
  const campaign = asObject(created.campaign)
  expect(campaign.id).toEqual(expect.any(Number))
  const messages = await followCampaign(
    rs.server.url,
    rs.ca,
    rs.token,
    Number(campaign.id),
    (seen) => seen.filter((m) => m.type === 'result').length >= expected,
  )
  // Any other type is "unknown msg type" to fleetctl.
  for (const msg of messages) {
    expect(['result', 'totals', 'status']).toContain(msg.type)
  }
  return messages
}

function resultHosts(messages: readonly WsMessage[]): string[] {
  return messages
    .filter((m) => m.type === 'result')
    .map((m) => {
      // fleet.DistributedQueryResult: host (id, hostname, display_name), rows, error.
      const data = asObject(m.data)
      const host = asObject(data.host)
      expect(host).toMatchObject({ id: expect.any(Number), display_name: expect.any(String) })
      expect(Array.isArray(data.rows)).toBe(true)
      return String(host.hostname)
    })
    .sort()
}

describe('real fleetctl request shapes: hosts and live queries', () => {
  beforeAll(async () => {
    rs = await startReplayServer('Replay hosts')
    decodedByGo(
      await send('POST', '/api/latest/fleet/spec/enroll_secret', {
        body: { spec: { secrets: [{ secret: SECRET, created_at: '0001-01-01T00:00:00Z' }] } },
      }),
    )
    sim = createSimulation({
      serverUrl: rs.server.url,
      enrollSecret: SECRET,
      ca: rs.ca,
      hostCount: HOSTNAMES.length,
      osTemplates: [{ name: 'ubuntu_22.04', weight: 1 }],
      startPeriodMs: 100,
      queryIntervalMs: 500,
      configIntervalMs: 1000,
      loggerIntervalMs: 1000,
      seed: 9,
    })
    await sim.start()
    await waitFor('the simulated hosts to enroll', async () => (await hostIds()).size === 3)
  })
  afterAll(async () => {
    await sim?.stop()
    await rs?.stop()
  })

  it('get hosts and get host X (client_hosts.go: GetHosts, HostByIdentifier)', async () => {
    // The table shows uuid, display_text, platform, osquery_version and status of every host:
    // no page and no per_page, so the server must list them all.
    const hosts = await listHosts()
    expect(hosts.map((h) => h.display_text).sort()).toEqual(HOSTNAMES)
    for (const host of hosts) {
      expect(host).toMatchObject({
        id: expect.any(Number),
        uuid: expect.any(String),
        platform: 'ubuntu',
        osquery_version: expect.any(String),
        status: expect.stringMatching(/^(online|offline|new|missing)$/),
      })
    }
    // HostByIdentifier: GET /api/latest/fleet/hosts/identifier/<identifier>, unescaped.
    const one = decodedByGo(await send('GET', `/api/latest/fleet/hosts/identifier/${HOSTNAMES[1]}`))
    expect(asObject(one.host)).toMatchObject({ hostname: HOSTNAMES[1], id: expect.any(Number) })
    const missing = await send('GET', '/api/latest/fleet/hosts/identifier/no-such-host')
    expect(missing.status).toBe(404)
  })

  it('hosts transfer --hosts and --label/--status (client_hosts.go: TransferHosts)', async () => {
    const teamId = await createTeam('Replay transfer')
    const ids = await hostIds()
    // With --hosts: POST /api/latest/fleet/hosts/transfer, addHostsToTeamRequest{team_id, hosts}.
    // (The ids come from POST /translate in real fleetctl: see the skipped case below.)
    decodedByGo(
      await send('POST', '/api/latest/fleet/hosts/transfer', {
        body: { team_id: teamId, hosts: [ids.get(HOSTNAMES[0])] },
      }),
    )
    // `get hosts --team ID` adds team_id to the query string.
    const inTeam = await listHosts(`&team_id=${teamId}`)
    expect(inTeam.map((h) => h.hostname)).toEqual([HOSTNAMES[0]])

    // Without --hosts: POST /api/latest/fleet/hosts/transfer/filter, filters {query, status,
    // label_id} as --search_query, --status and --label give them (label_id from /translate).
    // A manual label holding the second host (fleet.LabelSpec as ApplyLabels sends it).
    const label = {
      id: 0,
      name: 'Replay movers',
      description: '',
      query: '',
      label_membership_type: 'manual',
      hosts: [HOSTNAMES[1]],
    }
    decodedByGo(await send('POST', '/api/latest/fleet/spec/labels', { body: { specs: [label] } }))
    const labels = asList(decodedByGo(await send('GET', '/api/latest/fleet/spec/labels')).specs)
    const movers = labels.find((l) => l.name === 'Replay movers')?.id
    decodedByGo(
      await send('POST', '/api/latest/fleet/hosts/transfer/filter', {
        body: {
          team_id: teamId,
          filters: { query: '', status: 'online', label_id: movers },
        },
      }),
    )
    const after = await listHosts(`&team_id=${teamId}`)
    expect(after.map((h) => h.hostname).sort()).toEqual([HOSTNAMES[0], HOSTNAMES[1]])
  })

  // An unset --status or --label reaches the server as `"status": ""` and `"label_id": null`
  // (Go's zero string, nil pointer), which Fleet reads as no filter.
  it('hosts transfer --search_query alone (client_hosts.go: TransferHosts)', async () => {
    const teamId = await createTeam('Replay transfer by search')
    decodedByGo(
      await send('POST', '/api/latest/fleet/hosts/transfer/filter', {
        body: { team_id: teamId, filters: { query: HOSTNAMES[2], status: '', label_id: null } },
      }),
    )
    const after = await listHosts(`&team_id=${teamId}`)
    expect(after.map((h) => h.hostname)).toEqual([HOSTNAMES[2]])
  })

  // `fleetctl hosts transfer` first resolves names to ids with POST /api/latest/fleet/translate.
  it('hosts transfer resolves names (client_hosts.go: translateTransferHostsToIDs)', async () => {
    const translated = decodedByGo(
      await send('POST', '/api/latest/fleet/translate', {
        body: {
          list: [
            { type: 'host', payload: { identifier: HOSTNAMES[2] } },
            { type: 'team', payload: { identifier: 'Replay transfer' } },
          ],
        },
      }),
    )
    const list = asList(translated.list)
    expect(list).toEqual([
      { type: 'host', payload: { identifier: HOSTNAMES[2], id: expect.any(Number) } },
      { type: 'team', payload: { identifier: 'Replay transfer', id: expect.any(Number) } },
    ])
  })

  it('query --labels sends "hosts": [""] and --hosts sends "labels": [""] (fleetctl/query.go)', async () => {
    // query.go splits the unset flag: strings.Split("", ",") is [""], sent as such.
    const byLabel = await liveQuery(
      {
        query: 'SELECT 1 AS one',
        query_id: null,
        selected: { labels: ['All Hosts'], hosts: [''] },
      },
      3,
    )
    expect(resultHosts(byLabel)).toEqual(HOSTNAMES)
    // campaignStatus and targetTotals, which fleetctl's progress line reads.
    const totals = byLabel.filter((m) => m.type === 'totals').map((m) => asObject(m.data))
    expect(totals.at(-1)).toMatchObject({ count: 3, online: expect.any(Number) })
    const statuses = byLabel.filter((m) => m.type === 'status').map((m) => asObject(m.data))
    expect(statuses.at(-1)).toMatchObject({
      expected_results: expect.any(Number),
      actual_results: expect.any(Number),
    })

    const byHost = await liveQuery(
      {
        query: 'SELECT 1 AS one',
        query_id: null,
        selected: { labels: [''], hosts: [HOSTNAMES[2]] },
      },
      1,
    )
    expect(resultHosts(byHost)).toEqual([HOSTNAMES[2]])
  })

  it('query --query-name (fleetctl/query.go: GetQueries by name, then query_id)', async () => {
    decodedByGo(
      await send('POST', '/api/latest/fleet/spec/queries', {
        body: {
          specs: [
            {
              name: 'Replay saved',
              description: '',
              query: 'SELECT 2 AS two',
              team: '',
              interval: 0,
              observer_can_run: false,
              platform: '',
              min_osquery_version: '',
              automations_enabled: false,
              logging: 'snapshot',
              discard_data: false,
              labels_include_any: null,
            },
          ],
        },
      }),
    )
    const found = asList(
      decodedByGo(await send('GET', '/api/latest/fleet/queries', { query: 'query=Replay+saved' }))
        .queries,
    ).find((q) => q.name === 'Replay saved')
    // The query text is empty ("" from the unset --query flag) and query_id names the query.
    const messages = await liveQuery(
      { query: '', query_id: found?.id, selected: { labels: ['All Hosts'], hosts: [''] } },
      3,
    )
    expect(resultHosts(messages)).toEqual(HOSTNAMES)
  })
})
