import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { FLEET_API } from '@fleet/test-support'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { failingPoliciesWebhookJob } from './index.js'
import { policyKit, type Answer, type EnrolledHost } from '../../test-utils/policy-kit.js'

const HOUR = 3_600_000

interface Received {
  path: string
  body: {
    timestamp: string
    policy: Record<string, unknown>
    hosts: { id: number; hostname: string; display_name: string; url: string }[]
  }
}

/** A webhook receiver on a local port: records each POST and answers with the queued statuses. */
async function startReceiver() {
  const received: Received[] = []
  const statuses: number[] = []
  let attempts = 0
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      attempts += 1
      const status = statuses.shift() ?? 200
      if (status === 200) {
        received.push({
          path: req.url ?? '',
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'],
        })
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    /** Statuses for the next requests (then 200). */
    failNext: (...codes: number[]) => statuses.push(...codes),
    attempts: () => attempts,
    reset: () => {
      received.length = 0
      statuses.length = 0
      attempts = 0
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe.each(DIALECTS)('failing-policies webhook [%s]', (dialect) => {
  let t: TestServer
  let kit: ReturnType<typeof policyKit>
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  let admin: string
  let teamId: number
  let watched: number
  let unwatched: number
  let teamPolicy: number
  const hosts: EnrolledHost[] = []
  let teamHost: EnrolledHost

  const job = () => failingPoliciesWebhookJob(t.deps, { retryDelaysMs: [5, 5], timeoutMs: 5000 })
  const configure = async (hook: Record<string, unknown>) => {
    const res = await t.request('PATCH', `${FLEET_API}/config`, {
      token: admin,
      body: { webhook_settings: { failing_policies_webhook: hook } },
    })
    expect(res.statusCode, res.body).toBe(200)
  }
  /** One full policy refresh of a host (due after two hours), answering as told. */
  const refresh = async (host: EnrolledHost, answers: Record<number, Answer>) => {
    t.clock.advance(2 * HOUR)
    await kit.checkIn(host, answers)
  }
  const sentHostIds = () =>
    receiver.received.map((r) => r.body.hosts.map((h) => h.id).sort((a, b) => a - b))

  /** Every global host fails the watched policy and the webhook has sent them all. */
  const allFailingAndSent = async () => {
    for (const host of hosts) {
      await kit.checkIn(host, { [watched]: 'fail' })
    }
    expect(await job().run()).toMatchObject({ hostsSent: hosts.length })
    receiver.reset()
  }

  beforeAll(async () => {
    receiver = await startReceiver()
  })
  afterAll(() => receiver.close())
  // Each test starts from its own server: the webhook set up, no host has answered yet.
  beforeEach(async () => {
    receiver.reset()
    hosts.length = 0
    t = await startTestServer(dialect)
    kit = policyKit(t)
    admin = await t.setupAdmin()
    await kit.addSecret(admin, 'webhook-global')
    teamId = await kit.createTeam(admin, 'Kiosks', 'webhook-team')
    watched = await kit.createPolicy(admin, {
      name: 'Screen lock',
      query: 'SELECT 1 FROM screenlock;',
      resolution: 'Turn on the screen lock',
    })
    unwatched = await kit.createPolicy(admin, { name: 'Not watched', query: 'SELECT 1;' })
    teamPolicy = await kit.createPolicy(admin, { name: 'Kiosk mode', query: 'SELECT 1;' }, teamId)
    for (const n of [1, 2, 3]) {
      hosts.push(await kit.enroll('ubuntu_22.04', `W-${n}`, 'webhook-global'))
    }
    teamHost = await kit.enroll('ubuntu_22.04', 'W-TEAM', 'webhook-team')
    await configure({
      enable_failing_policies_webhook: true,
      destination_url: receiver.url('/global'),
      policy_ids: [watched],
      host_batch_size: 2,
    })
  })
  afterEach(() => t.close())

  it("sends hosts that newly fail a watched policy, in batches, with Fleet's payload", async () => {
    const [h1, h2, h3] = hosts
    if (!h1 || !h2 || !h3) {
      throw new Error('hosts missing')
    }
    await kit.checkIn(h1, { [watched]: 'fail', [unwatched]: 'fail' })
    await kit.checkIn(h2, { [watched]: 'fail', [unwatched]: 'fail' })
    await kit.checkIn(h3, { [watched]: 'error', [unwatched]: 'fail' })
    const report = await job().run()
    expect(report).toMatchObject({ requests: 1, hostsSent: 2, policiesFailed: 0 })
    expect(receiver.received).toHaveLength(1)
    const [first] = receiver.received
    expect(first?.path).toBe('/global')
    expect(Date.parse(first?.body.timestamp ?? '')).toBe(t.clock.ms)
    expect(first?.body.policy).toMatchObject({
      id: watched,
      name: 'Screen lock',
      query: 'SELECT 1 FROM screenlock;',
      resolution: 'Turn on the screen lock',
      team_id: null,
      author_email: 'admin@example.com',
      passing_host_count: 0,
    })
    expect(first?.body.hosts).toEqual([
      {
        id: h1.id,
        hostname: 'host-W-1',
        display_name: 'host-W-1',
        url: `https://fleet.example.com/hosts/${h1.id}`,
      },
      expect.objectContaining({ id: h2.id, hostname: 'host-W-2' }),
    ])

    // A host that turns from an error to failing is newly failing too; batches hold two hosts.
    await refresh(h3, { [watched]: 'fail' })
    await refresh(h1, { [watched]: 'pass' })
    await refresh(h1, { [watched]: 'fail' })
    receiver.reset()
    await job().run()
    expect(sentHostIds()).toEqual([[h1.id, h3.id]])
  })

  it('does not send hosts again while they keep failing', async () => {
    await allFailingAndSent()
    for (const host of hosts) {
      await refresh(host, { [watched]: 'fail' })
    }
    expect(await job().run()).toMatchObject({ requests: 0, hostsSent: 0 })
    expect(receiver.received).toEqual([])
  })

  it('forgets a queued host that passes again before the webhook runs', async () => {
    const [h1] = hosts
    if (!h1) {
      throw new Error('hosts missing')
    }
    await refresh(h1, { [watched]: 'pass' })
    await refresh(h1, { [watched]: 'fail' })
    await refresh(h1, { [watched]: 'pass' })
    expect(await job().run()).toMatchObject({ requests: 0 })
  })

  it('retries a failed delivery, and keeps the hosts queued when the destination stays down', async () => {
    const [h1] = hosts
    if (!h1) {
      throw new Error('hosts missing')
    }
    await refresh(h1, { [watched]: 'fail' })
    receiver.failNext(500)
    expect(await job().run()).toMatchObject({ requests: 1, hostsSent: 1, policiesFailed: 0 })
    expect(receiver.attempts()).toBe(2)
    expect(sentHostIds()).toEqual([[h1.id]])

    receiver.reset()
    await refresh(h1, { [watched]: 'pass' })
    await refresh(h1, { [watched]: 'fail' })
    receiver.failNext(503, 503, 503)
    expect(await job().run()).toMatchObject({ requests: 1, hostsSent: 0, policiesFailed: 1 })
    expect(receiver.attempts()).toBe(3)
    expect(receiver.received).toEqual([])
    expect(await job().run()).toMatchObject({ hostsSent: 1 })
    expect(sentHostIds()).toEqual([[h1.id]])
  })

  it('resends every host failing the policy after POST /automations/reset', async () => {
    await allFailingAndSent()
    const reset = await t.request('POST', `${FLEET_API}/automations/reset`, {
      token: admin,
      body: { policy_ids: [watched, unwatched] },
    })
    expect(reset.statusCode, reset.body).toBe(200)
    await job().run()
    expect(sentHostIds()).toEqual([[hosts[0]?.id, hosts[1]?.id], [hosts[2]?.id]])
    expect(receiver.received.every((r) => r.body.policy.id === watched)).toBe(true)
  })

  it("sends a team policy's failures to the team's own webhook", async () => {
    const res = await t.request('PATCH', `${FLEET_API}/teams/${teamId}`, {
      token: admin,
      body: {
        webhook_settings: {
          failing_policies_webhook: {
            enable_failing_policies_webhook: true,
            destination_url: receiver.url('/team'),
            policy_ids: [teamPolicy],
            host_batch_size: 0,
          },
        },
      },
    })
    expect(res.statusCode, res.body).toBe(200)
    await kit.checkIn(teamHost, { [watched]: 'pass', [teamPolicy]: 'fail' })
    await job().run()
    expect(receiver.received.map((r) => [r.path, r.body.policy.id, r.body.policy.team_id])).toEqual(
      [['/team', teamPolicy, teamId]],
    )
    expect(sentHostIds()).toEqual([[teamHost.id]])
  })

  it('drops queued hosts once the webhook is turned off, and queues nothing while off', async () => {
    const [h1, h2] = hosts
    if (!h1 || !h2) {
      throw new Error('hosts missing')
    }
    await refresh(h1, { [watched]: 'pass' })
    await refresh(h1, { [watched]: 'fail' })
    await configure({ enable_failing_policies_webhook: false })
    expect(await job().run()).toMatchObject({ requests: 0, policiesDropped: 1 })
    await refresh(h2, { [watched]: 'pass' })
    await refresh(h2, { [watched]: 'fail' })
    await configure({ enable_failing_policies_webhook: true })
    expect(await job().run()).toMatchObject({ requests: 0, policiesDropped: 0 })
    const config = asRecord(
      (await t.request('GET', `${FLEET_API}/config`, { token: admin })).data(),
    )
    expect(asRecord(config.webhook_settings).failing_policies_webhook).toMatchObject({
      enable_failing_policies_webhook: true,
      policy_ids: [watched],
      host_batch_size: 2,
    })
  })
})
