import { FLEET_API } from '@fleet/test-support'
import { parse } from 'plist'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CronJob } from '../../platform/cron-job.js'
import { buildLabel, buildTeam } from '../../test-utils/factories.js'
import { DIALECTS } from '../../test-utils/databases.js'
import { mdmEnrolledHost } from '../../test-utils/mdm-delivery-kit.js'
import { b64, profilesClient } from '../../test-utils/mdm-profiles-kit.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { mobileconfig } from '../mdm-profiles/profile-fixtures.js'

type Host = { id: number; uuid: string; enrollmentId: string }

describe.each(DIALECTS)('profile delivery cron [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let job: CronJob
  let teamId: number
  let otherTeamId: number
  const uuids: Record<string, string> = {}
  const hosts: Record<string, Host> = {}
  const { upload } = profilesClient(
    () => t,
    () => admin,
  )
  const now = () => t.clock.now().getTime()

  async function run() {
    const stats = await job.run()
    if (!stats) {
      throw new Error('the job returned nothing')
    }
    return stats
  }

  /** The host's rows: profile name → [status, operation, detail]. */
  async function rowsOf(h: Host) {
    const rows = await t.deps.db
      .selectFrom('host_mdm_apple_profiles')
      .select(['profile_name', 'status', 'operation_type', 'detail', 'command_uuid'])
      .where('host_uuid', '=', h.uuid)
      .orderBy('profile_name')
      .execute()
    return Object.fromEntries(rows.map((r) => [r.profile_name, [r.status, r.operation_type]]))
  }

  /** Commands queued for a host: request type and what they say. */
  async function commandsOf(h: Host) {
    const rows = await t.deps.db
      .selectFrom('mdm_enrollment_queue as q')
      .innerJoin('mdm_commands as c', 'c.command_uuid', 'q.command_uuid')
      .select(['c.command_uuid', 'c.request_type', 'c.command'])
      .where('q.enrollment_id', '=', h.enrollmentId)
      .orderBy('q.id')
      .execute()
    return rows.map((r) => {
      const cmd = (parse(r.command) as { Command: Record<string, unknown> }).Command
      return {
        uuid: r.command_uuid,
        type: r.request_type,
        identifier: cmd.Identifier,
        payload:
          cmd.Payload instanceof Uint8Array ? Buffer.from(cmd.Payload).toString() : undefined,
      }
    })
  }

  async function setLabels(h: Host, labelIds: number[], reportedAt: number) {
    await t.deps.db.deleteFrom('label_membership').where('host_id', '=', h.id).execute()
    for (const id of labelIds) {
      await t.deps.db
        .insertInto('label_membership')
        .values({ label_id: id, host_id: h.id, updated_at: reportedAt })
        .execute()
    }
    await t.deps.db.deleteFrom('host_refresh_times').where('host_id', '=', h.id).execute()
    await t.deps.db
      .insertInto('host_refresh_times')
      .values({
        host_id: h.id,
        provider: 'labels',
        asked_since: reportedAt,
        refreshed_at: reportedAt,
      })
      .execute()
  }

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    const found = t.server.cronJobs.find((j) => j.name === 'mdm_apple_profile_manager')
    if (!found) {
      throw new Error('no mdm_apple_profile_manager job')
    }
    job = found
    teamId = (await buildTeam(t.deps.db, { name: 'Macs' })).id
    otherTeamId = (await buildTeam(t.deps.db, { name: 'Kiosks' })).id
    const base = now() - 3_600_000
    const a = await buildLabel(t.deps.db, { name: 'A', now: base })
    const b = await buildLabel(t.deps.db, { name: 'B', now: base })
    // C is created after the hosts last reported labels: the exclude rule must wait for them
    const c = await buildLabel(t.deps.db, { name: 'C', now: now() - 60_000 })
    await buildLabel(t.deps.db, { name: 'Gone', now: base })
    const team = ['team_id', String(teamId)] as [string, string]
    const add = async (key: string, name: string, extra: [string, string][]) => {
      const res = await upload(
        `${key}.mobileconfig`,
        mobileconfig({ identifier: `com.example.${key}`, name }),
        [team, ...extra],
      )
      expect(res.statusCode).toBe(200)
      uuids[key] = String(res.data().profile_uuid)
    }
    await add('all', 'P all', [])
    await add('both', 'P include all A B', [
      ['labels_include_all', 'A'],
      ['labels_include_all', 'B'],
    ])
    await add('any', 'P include any A B', [
      ['labels_include_any', 'A'],
      ['labels_include_any', 'B'],
    ])
    await add('notc', 'P exclude C', [['labels_exclude_any', 'C']])
    await add('broken', 'P broken', [['labels_include_any', 'Gone']])
    for (const [name, labels] of [
      ['h1', [a.id, b.id]],
      ['h2', [a.id]],
      ['h3', [c.id]],
    ] as const) {
      hosts[name] = await mdmEnrolledHost(t.deps.db, { teamId, now: now() })
      await setLabels(hosts[name], [...labels], now() - 120_000)
    }
    // the label the broken profile uses is deleted before anything was sent
    expect(
      (await t.request('DELETE', `${FLEET_API}/labels/Gone`, { token: admin })).statusCode,
    ).toBe(200)
  })
  afterAll(async () => {
    await t.close()
  })

  it('queues one InstallProfile per profile for every host its labels select, rows pending', async () => {
    const stats = await run()
    expect(stats).toMatchObject({ hosts: 3, installs: 6, removes: 0, commands: 3 })
    expect(await rowsOf(hosts.h1!)).toEqual({
      'P all': ['pending', 'install'],
      'P include all A B': ['pending', 'install'],
      'P include any A B': ['pending', 'install'],
    })
    expect(await rowsOf(hosts.h2!)).toEqual({
      'P all': ['pending', 'install'],
      'P include any A B': ['pending', 'install'],
    })
    // h3 is in C; nobody gets "exclude C" yet: h1 and h2 reported labels before C existed
    expect(await rowsOf(hosts.h3!)).toEqual({ 'P all': ['pending', 'install'] })
    const h1 = await commandsOf(hosts.h1!)
    const h2 = await commandsOf(hosts.h2!)
    expect(h1.map((c) => c.type)).toEqual(['InstallProfile', 'InstallProfile', 'InstallProfile'])
    // Payload: the profile's bytes, as uploaded
    const identifiers = h1.map(
      (c) => (parse(c.payload ?? '') as { PayloadIdentifier: string }).PayloadIdentifier,
    )
    expect(identifiers.sort()).toEqual(['com.example.all', 'com.example.any', 'com.example.both'])
    // the same bytes to many hosts are one command
    expect(h2.map((c) => c.uuid).every((u) => h1.some((c) => c.uuid === u))).toBe(true)
    expect(typeof stats.sql).toBe('number')
  })

  it('writes nothing when nothing changed, in a handful of statements', async () => {
    const stats = await run()
    expect(stats).toMatchObject({ installs: 0, removes: 0, commands: 0, forgotten: 0 })
    // profiles + labels + hosts + memberships + rows + the check/expiry/push reads
    expect(stats.sql).toBeLessThanOrEqual(10)
  })

  it('applies an exclude once the host reported labels after the label was created', async () => {
    await setLabels(hosts.h1!, await labelIdsOf(hosts.h1!), now())
    await run()
    expect((await rowsOf(hosts.h1!))['P exclude C']).toEqual(['pending', 'install'])
    await setLabels(hosts.h3!, await labelIdsOf(hosts.h3!), now())
    await run()
    expect((await rowsOf(hosts.h3!))['P exclude C']).toBeUndefined()
  })

  it('re-installs a changed profile; removes a deleted one; a broken one is never sent', async () => {
    await t.deps.db.updateTable('host_mdm_apple_profiles').set({ status: 'verified' }).execute()
    const res = await t.request('POST', `${FLEET_API}/mdm/profiles/batch?team_id=${teamId}`, {
      token: admin,
      body: {
        profiles: [
          {
            name: 'P all',
            contents: b64(
              mobileconfig({
                identifier: 'com.example.all',
                name: 'P all',
                payloadTypes: ['com.apple.screensaver'],
              }),
            ),
          },
          {
            name: 'P include any A B',
            contents: b64(
              mobileconfig({ identifier: 'com.example.any', name: 'P include any A B' }),
            ),
            labels_include_any: ['A', 'B'],
          },
        ],
      },
    })
    expect(res.statusCode).toBe(204)
    const stats = await run()
    // one InstallProfile (P all, 3 hosts), one RemoveProfile per removed identifier
    expect(stats).toMatchObject({ installs: 3, removes: 2, commands: 3 })
    expect(await rowsOf(hosts.h1!)).toEqual({
      'P all': ['pending', 'install'],
      'P exclude C': ['pending', 'remove'],
      'P include all A B': ['pending', 'remove'],
      'P include any A B': ['verified', 'install'],
    })
    const removal = (await commandsOf(hosts.h1!)).filter((c) => c.type === 'RemoveProfile')
    expect(removal.map((c) => c.identifier).sort()).toEqual([
      'com.example.both',
      'com.example.notc',
    ])
    expect(await rowsOf(hosts.h3!)).toEqual({ 'P all': ['pending', 'install'] })
  })

  it('moves a transferred host to its new team’s set (the old team’s profiles removed)', async () => {
    await t.deps.db.updateTable('host_mdm_apple_profiles').set({ status: 'verified' }).execute()
    const res = await upload(
      'kiosk.mobileconfig',
      mobileconfig({ identifier: 'com.example.kiosk', name: 'Kiosk' }),
      [['team_id', String(otherTeamId)]],
    )
    expect(res.statusCode).toBe(200)
    const moved = await t.request('POST', `${FLEET_API}/hosts/transfer`, {
      token: admin,
      body: { team_id: otherTeamId, hosts: [hosts.h2!.id] },
    })
    expect(moved.statusCode).toBe(200)
    await run()
    expect(await rowsOf(hosts.h2!)).toEqual({
      Kiosk: ['pending', 'install'],
      'P all': ['pending', 'remove'],
      'P include any A B': ['pending', 'remove'],
    })
  })

  it('fails what waited past mdm.apple_profile_pending_timeout, saying how long', async () => {
    t.clock.advance(24 * 3_600_000 + 1000)
    const stats = await run()
    expect(stats.expired).toBeGreaterThan(0)
    const rows = await t.deps.db
      .selectFrom('host_mdm_apple_profiles')
      .select(['status', 'detail'])
      .where('host_uuid', '=', hosts.h2!.uuid)
      .where('profile_name', '=', 'Kiosk')
      .execute()
    expect(rows).toEqual([{ status: 'failed', detail: 'device did not respond in 24 h' }])
  })

  async function labelIdsOf(h: Host) {
    const rows = await t.deps.db
      .selectFrom('label_membership')
      .select('label_id')
      .where('host_id', '=', h.id)
      .execute()
    return rows.map((r) => r.label_id)
  }
})
