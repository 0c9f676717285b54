import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildHost, buildTeam } from '../../test-utils/factories.js'
import { DIALECTS } from '../../test-utils/databases.js'
import { putHostProfile } from '../../test-utils/mdm-delivery-kit.js'
import { profilesClient, PROFILES } from '../../test-utils/mdm-profiles-kit.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { declaration, mobileconfig } from '../mdm-profiles/profile-fixtures.js'
import {
  RESEND_DECLARATION,
  RESEND_IN_FLIGHT,
  RESEND_NOT_ON_HOST,
} from './mdm-profile-delivery.service.js'

describe.each(DIALECTS)('profile status and resend API [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  const tokens: Record<string, string> = {}
  let teamId: number
  let profileUuid: string
  let declUuid: string
  const hosts: { id: number; uuid: string }[] = []
  const { upload, activities } = profilesClient(
    () => t,
    () => admin,
  )
  const get = (url: string, token = admin) => t.request('GET', url, { token })
  const post = (url: string, body: unknown, token = admin) =>
    t.request('POST', url, { token, body })
  const reasons = (res: { data(): Record<string, unknown> }) =>
    (res.data().errors as { reason: string }[]).map((e) => e.reason)

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    teamId = (await buildTeam(t.deps.db, { name: 'Workstations' })).id
    const otherTeamId = (await buildTeam(t.deps.db, { name: 'Servers' })).id
    tokens.observer = (
      await t.createUser(admin, { email: 'obs@example.com', globalRole: 'observer' })
    ).token
    tokens.teamObserver = (
      await t.createUser(admin, {
        email: 'tobs@example.com',
        teams: [{ id: teamId, role: 'observer' }],
      })
    ).token
    tokens.teamMaintainer = (
      await t.createUser(admin, {
        email: 'tm@example.com',
        teams: [{ id: teamId, role: 'maintainer' }],
      })
    ).token
    tokens.otherMaintainer = (
      await t.createUser(admin, {
        email: 'om@example.com',
        teams: [{ id: otherTeamId, role: 'maintainer' }],
      })
    ).token
    const res = await upload('dock.mobileconfig', mobileconfig(), [['team_id', String(teamId)]])
    expect(res.statusCode).toBe(200)
    profileUuid = String(res.data().profile_uuid)
    const decl = await upload(
      'passcode.json',
      declaration('com.apple.configuration.passcode.settings'),
      [['team_id', String(teamId)]],
    )
    declUuid = String(decl.data().profile_uuid)
    for (let i = 0; i < 6; i++) {
      const h = await buildHost(t.deps.db, { teamId, vitals: { platform: 'darwin' } })
      hosts.push({ id: h.id, uuid: h.uuid })
    }
  })
  afterAll(async () => {
    await t.close()
  })
  beforeEach(async () => {
    await t.deps.db.deleteFrom('host_mdm_apple_profiles').execute()
    const statuses = ['verified', 'verifying', 'pending', null, 'failed'] as const
    for (const [i, status] of statuses.entries()) {
      await putHostProfile(t.deps.db, {
        hostUuid: hosts[i]!.uuid,
        profileUuid,
        status,
        detail: status === 'failed' ? 'MCProfileErrorDomain (4001): bad payload' : null,
      })
    }
    // host 6 is having it removed: not counted among the profile's hosts
    await putHostProfile(t.deps.db, {
      hostUuid: hosts[5]!.uuid,
      profileUuid,
      status: 'pending',
      operation: 'remove',
    })
  })

  it('counts hosts by status for one profile (not sent yet is pending; removals left out)', async () => {
    const res = await get(`${PROFILES}/${profileUuid}/status`)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ verified: 1, verifying: 1, pending: 2, failed: 1 })
    const decl = await get(`${PROFILES}/${declUuid}/status`, tokens.teamMaintainer)
    expect(decl.json()).toEqual({ verified: 0, verifying: 0, pending: 0, failed: 0 })
  })

  it('status: unknown uuid 404, observers and other teams 403', async () => {
    expect((await get(`${PROFILES}/a00000000-0000-0000-0000-000000000000/status`)).statusCode).toBe(
      404,
    )
    expect((await get(`${PROFILES}/${profileUuid}/status`, tokens.observer)).statusCode).toBe(403)
    expect(
      (await get(`${PROFILES}/${profileUuid}/status`, tokens.otherMaintainer)).statusCode,
    ).toBe(403)
  })

  it("lists a host's profiles with status, operation and the device's error", async () => {
    const failed = await get(
      `${FLEET_API}/hosts/${hosts[4]!.id}/configuration_profiles`,
      tokens.teamObserver,
    )
    expect(failed.statusCode).toBe(200)
    expect(failed.json()).toMatchObject({
      host_id: hosts[4]!.id,
      profiles: [
        {
          profile_uuid: profileUuid,
          team_id: teamId,
          name: 'Dock settings',
          identifier: 'com.example.dock',
          status: 'failed',
          operation_type: 'install',
          detail: 'MCProfileErrorDomain (4001): bad payload',
        },
      ],
    })
    const removing = await get(`${FLEET_API}/hosts/${hosts[5]!.id}/configuration_profiles`)
    expect(removing.data().profiles).toMatchObject([
      { status: 'pending', operation_type: 'remove' },
    ])
  })

  it('host profiles: unknown host 404, bad id 400, another team 403', async () => {
    expect((await get(`${FLEET_API}/hosts/999999/configuration_profiles`)).statusCode).toBe(404)
    expect((await get(`${FLEET_API}/hosts/abc/configuration_profiles`)).statusCode).toBe(400)
    expect(
      (
        await get(
          `${FLEET_API}/hosts/${hosts[0]!.id}/configuration_profiles`,
          tokens.otherMaintainer,
        )
      ).statusCode,
    ).toBe(403)
  })

  it('resends a failed or verified profile to a host (back to not sent) and records it', async () => {
    const url = (i: number) =>
      `${FLEET_API}/hosts/${hosts[i]!.id}/configuration_profiles/${profileUuid}/resend`
    expect((await post(url(4), undefined, tokens.teamMaintainer)).statusCode).toBe(202)
    expect((await post(url(0), undefined)).statusCode).toBe(202)
    const rows = await t.deps.db
      .selectFrom('host_mdm_apple_profiles')
      .select(['host_uuid', 'status', 'detail'])
      .where('host_uuid', 'in', [hosts[4]!.uuid, hosts[0]!.uuid])
      .execute()
    expect(rows.map((r) => [r.status, r.detail])).toEqual([
      [null, null],
      [null, null],
    ])
    expect(await activities()).toContainEqual({
      type: 'resent_configuration_profile',
      details: {
        host_id: hosts[4]!.id,
        host_display_name: expect.any(String),
        profile_name: 'Dock settings',
      },
    })
  })

  it('resend refuses what is on its way (409), not on the host (404), declarations (400), observers (403)', async () => {
    const url = (i: number, uuid = profileUuid) =>
      `${FLEET_API}/hosts/${hosts[i]!.id}/configuration_profiles/${uuid}/resend`
    const pending = await post(url(2), undefined)
    expect(pending.statusCode).toBe(409)
    expect(reasons(pending)).toEqual([RESEND_IN_FLIGHT])
    expect((await post(url(1), undefined)).statusCode).toBe(409)
    const removing = await post(url(5), undefined)
    expect(removing.statusCode).toBe(404)
    expect(reasons(removing)).toEqual([RESEND_NOT_ON_HOST])
    const decl = await post(url(0, declUuid), undefined)
    expect(decl.statusCode).toBe(400)
    expect(reasons(decl)).toEqual([RESEND_DECLARATION])
    expect((await post(url(4), undefined, tokens.teamObserver)).statusCode).toBe(403)
    expect((await post(url(4), undefined, tokens.otherMaintainer)).statusCode).toBe(403)
    expect((await post(url(4, 'a-nope'), undefined)).statusCode).toBe(404)
  })

  it('batch-resends a profile to every host where it failed', async () => {
    const res = await post(`${PROFILES}/resend/batch`, {
      profile_uuid: profileUuid,
      filters: { profile_status: 'failed' },
    })
    expect(res.statusCode).toBe(202)
    const failed = await t.deps.db
      .selectFrom('host_mdm_apple_profiles')
      .select('host_uuid')
      .where('status', '=', 'failed')
      .execute()
    expect(failed).toEqual([])
    const row = await t.deps.db
      .selectFrom('host_mdm_apple_profiles')
      .select('status')
      .where('host_uuid', '=', hosts[4]!.uuid)
      .executeTakeFirstOrThrow()
    expect(row.status).toBeNull()
    expect(await activities()).toContainEqual({
      type: 'resent_configuration_profile_batch',
      details: { profile_name: 'Dock settings', host_count: 1 },
    })
  })

  it('batch resend: bad filters 400, unknown profile 404, observers 403', async () => {
    const url = `${PROFILES}/resend/batch`
    expect(
      (await post(url, { profile_uuid: profileUuid, filters: { profile_status: 'pending' } }))
        .statusCode,
    ).toBe(400)
    expect((await post(url, { profile_uuid: profileUuid })).statusCode).toBe(400)
    expect(
      (await post(url, { profile_uuid: 'a-unknown', filters: { profile_status: 'failed' } }))
        .statusCode,
    ).toBe(404)
    expect(
      (
        await post(
          url,
          { profile_uuid: profileUuid, filters: { profile_status: 'failed' } },
          tokens.observer,
        )
      ).statusCode,
    ).toBe(403)
  })
})
