import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildHost, buildLabel, buildTeam } from '../../test-utils/factories.js'
import { DIALECTS } from '../../test-utils/databases.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { desiredProfilesForHost } from './mdm-profiles.service.js'
import { declaration, mobileconfig } from './profile-fixtures.js'
import {
  LABELS_MISSING,
  ONE_LABEL_MODE,
  SAME_DECLARATION_IDENTIFIER,
  SAME_IDENTIFIER,
  SAME_NAME,
  missingSecrets,
} from './profile-checks.js'
import { OS_UPDATES, WINDOWS_NOT_SUPPORTED, reservedIdentifier } from './profile-file.js'
import {
  errorsOf,
  fixture,
  hostDeclarationRow,
  hostProfileRow,
  profilesClient,
  PROFILES,
  type Field,
} from '../../test-utils/mdm-profiles-kit.js'

describe.each(DIALECTS)('configuration profiles API [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  const tokens: Record<string, string> = {}
  let teamId: number
  let otherTeamId: number
  let labelA: { id: number; name: string }
  let labelB: { id: number; name: string }

  const { upload, list, activities } = profilesClient(
    () => t,
    () => admin,
  )

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    teamId = (await buildTeam(t.deps.db, { name: 'Workstations' })).id
    otherTeamId = (await buildTeam(t.deps.db, { name: 'Servers' })).id
    labelA = await buildLabel(t.deps.db, { name: 'Label A' })
    labelB = await buildLabel(t.deps.db, { name: 'Label B' })
    for (const role of ['maintainer', 'observer', 'gitops'] as const) {
      tokens[`global ${role}`] = (
        await t.createUser(admin, {
          email: `g-${role}@example.com`,
          globalRole: role,
          apiOnly: role === 'gitops',
        })
      ).token
      tokens[`team ${role}`] = (
        await t.createUser(admin, {
          email: `t-${role}@example.com`,
          teams: [{ id: teamId, role }],
          apiOnly: role === 'gitops',
        })
      ).token
    }
  })
  afterAll(() => t.close())

  it('adds a .mobileconfig to "No team", lists it, downloads the same bytes, deletes it', async () => {
    const contents = mobileconfig()
    const res = await upload('dock.mobileconfig', contents)
    expect(res.statusCode).toBe(200)
    const uuid = res.data().profile_uuid as string
    expect(uuid).toMatch(/^a[0-9a-f-]{36}$/)
    const [listed] = await list()
    expect(listed).toMatchObject({
      profile_uuid: uuid,
      team_id: null,
      name: 'Dock settings',
      identifier: 'com.example.dock',
      platform: 'darwin',
    })
    expect(await list(`?team_id=${teamId}`)).toEqual([])
    const one = await t.request('GET', `${PROFILES}/${uuid}`, { token: admin })
    expect(one.data()).toEqual(listed)
    const media = await t.request('GET', `${PROFILES}/${uuid}?alt=media`, { token: admin })
    expect(media.statusCode).toBe(200)
    expect(media.headers['content-type']).toBe('application/x-apple-aspen-config')
    expect(String(media.headers['content-disposition'])).toMatch(/_Dock settings\.mobileconfig"$/)
    expect(media.body).toBe(contents)
    expect((await t.request('DELETE', `${PROFILES}/${uuid}`, { token: admin })).statusCode).toBe(
      200,
    )
    expect((await t.request('GET', `${PROFILES}/${uuid}`, { token: admin })).statusCode).toBe(404)
    expect((await activities()).slice(0, 2)).toEqual([
      {
        type: 'deleted_macos_profile',
        details: {
          profile_name: 'Dock settings',
          profile_identifier: 'com.example.dock',
          team_id: null,
          team_name: null,
        },
      },
      {
        type: 'created_macos_profile',
        details: {
          profile_name: 'Dock settings',
          profile_identifier: 'com.example.dock',
          team_id: null,
          team_name: null,
        },
      },
    ])
  })

  it('adds a DDM declaration to a team, named after its file, with labels', async () => {
    const contents = fixture('passcode-settings.json')
    const res = await upload('passcode-settings.json', contents, [
      ['team_id', String(teamId)],
      ['labels_exclude_any', labelA.name],
      ['labels_exclude_any', labelB.name],
    ])
    expect(res.statusCode).toBe(200)
    const uuid = res.data().profile_uuid as string
    expect(uuid).toMatch(/^d/)
    const [listed] = await list(`?team_id=${teamId}`)
    expect(listed).toMatchObject({
      profile_uuid: uuid,
      team_id: teamId,
      name: 'passcode-settings',
      labels_exclude_any: [
        { name: 'Label A', id: labelA.id },
        { name: 'Label B', id: labelB.id },
      ],
    })
    const media = await t.request('GET', `${PROFILES}/${uuid}?alt=media`, { token: admin })
    expect(media.body).toBe(contents)
    expect((await activities())[0]).toEqual({
      type: 'created_declaration_profile',
      details: {
        profile_name: 'passcode-settings',
        identifier: JSON.parse(contents).Identifier,
        team_id: teamId,
        team_name: 'Workstations',
      },
    })
    // Scoping as the reconcile cron sees it: excluded for a member of Label A only.
    expect(
      (await desiredProfilesForHost(t.deps.db, teamId, new Set([labelA.id]))).map((p) => p.uuid),
    ).toEqual([])
    expect((await desiredProfilesForHost(t.deps.db, teamId, new Set())).map((p) => p.uuid)).toEqual(
      [uuid],
    )
    expect((await t.request('DELETE', `${PROFILES}/${uuid}`, { token: admin })).statusCode).toBe(
      200,
    )
  })

  it('refuses duplicates per team with 409, across kinds for names', async () => {
    const first = await upload('dock.mobileconfig', mobileconfig(), [['team_id', String(teamId)]])
    expect(first.statusCode).toBe(200)
    const sameName = await upload('x.mobileconfig', mobileconfig({ identifier: 'com.other' }), [
      ['team_id', String(teamId)],
    ])
    expect([sameName.statusCode, errorsOf(sameName)]).toEqual([409, [SAME_NAME]])
    const sameId = await upload('x.mobileconfig', mobileconfig({ name: 'Other' }), [
      ['team_id', String(teamId)],
    ])
    expect([sameId.statusCode, errorsOf(sameId)]).toEqual([409, [SAME_IDENTIFIER]])
    const declSameName = await upload(
      'Dock settings.json',
      declaration('com.apple.configuration.passcode.settings', 'com.example.dock'),
      [['team_id', String(teamId)]],
    )
    expect([declSameName.statusCode, errorsOf(declSameName)]).toEqual([409, [SAME_NAME]])
    // Another team may use both.
    expect(
      (await upload('dock.mobileconfig', mobileconfig(), [['team_id', String(otherTeamId)]]))
        .statusCode,
    ).toBe(200)
    const d1 = declaration('com.apple.configuration.passcode.settings', 'com.example.p')
    expect((await upload('p1.json', d1)).statusCode).toBe(200)
    const dupDecl = await upload('p2.json', d1)
    expect([dupDecl.statusCode, errorsOf(dupDecl)]).toEqual([409, [SAME_DECLARATION_IDENTIFIER]])
  })

  it('refuses bad files, secrets, label combinations and unknown labels with Fleet messages', async () => {
    const os = await upload('software-update.json', fixture('software-update.json'))
    expect([os.statusCode, errorsOf(os)]).toEqual([422, [OS_UPDATES]])
    const win = await upload('w.xml', '<Replace></Replace>')
    expect([win.statusCode, errorsOf(win)]).toEqual([400, [WINDOWS_NOT_SUPPORTED]])
    const reserved = await upload(
      'f.mobileconfig',
      mobileconfig({ identifier: 'com.fleetdm.fleetd.config' }),
    )
    expect([reserved.statusCode, errorsOf(reserved)]).toEqual([
      400,
      [reservedIdentifier('com.fleetdm.fleetd.config')],
    ])
    const secret = await upload(
      's.json',
      declaration('com.apple.configuration.passcode.settings', 's', {
        Payload: { X: '$FLEET_SECRET_PIN' },
      }),
    )
    expect([secret.statusCode, errorsOf(secret)]).toEqual([400, [missingSecrets(['PIN'])]])
    const both = await upload('l.mobileconfig', mobileconfig({ identifier: 'l', name: 'L' }), [
      ['labels_include_all', labelA.name],
      ['labels_exclude_any', labelB.name],
    ])
    expect([both.statusCode, errorsOf(both)]).toEqual([400, [ONE_LABEL_MODE]])
    const missing = await upload('l.mobileconfig', mobileconfig({ identifier: 'l', name: 'L' }), [
      ['labels_include_any', 'No such label'],
    ])
    expect([missing.statusCode, errorsOf(missing)]).toEqual([400, [LABELS_MISSING]])
    const noTeam = await upload('l.mobileconfig', mobileconfig({ identifier: 'l', name: 'L' }), [
      ['team_id', '99999'],
    ])
    expect(noTeam.statusCode).toBe(404)
    expect((await list()).map((p) => p.name)).not.toContain('L')
  })

  it('keeps a deleted label as broken', async () => {
    const doomed = await buildLabel(t.deps.db, { name: 'Doomed' })
    const res = await upload('b.mobileconfig', mobileconfig({ identifier: 'b', name: 'Broken' }), [
      ['labels_include_any', doomed.name],
    ])
    const uuid = res.data().profile_uuid as string
    expect(
      (await t.request('DELETE', `${FLEET_API}/labels/id/${doomed.id}`, { token: admin }))
        .statusCode,
    ).toBe(200)
    const one = await t.request('GET', `${PROFILES}/${uuid}`, { token: admin })
    expect(one.data().labels_include_any).toEqual([{ name: 'Doomed', broken: true }])
    expect(
      (await desiredProfilesForHost(t.deps.db, null, new Set())).map((p) => p.uuid),
    ).not.toContain(uuid)
    await t.request('DELETE', `${PROFILES}/${uuid}`, { token: admin })
  })

  it('authorizes like Fleet: team roles on their team, gitops write-only, observers nothing', async () => {
    const teamField: [string, Field][] = [['team_id', String(teamId)]]
    const cases: [string, boolean, boolean][] = [
      ['global maintainer', true, true],
      ['global observer', false, false],
      ['global gitops', false, true],
      ['team maintainer', true, true],
      ['team observer', false, false],
      ['team gitops', false, true],
    ]
    for (const [who, read, write] of cases) {
      const token = tokens[who] ?? ''
      const n = who.replace(/\W/g, '-')
      const res = await upload(
        `${n}.mobileconfig`,
        mobileconfig({ identifier: n, name: n }),
        teamField,
        token,
      )
      expect([who, res.statusCode]).toEqual([who, write ? 200 : 403])
      const listed = await t.request('GET', `${PROFILES}?team_id=${teamId}`, { token })
      expect([who, listed.statusCode]).toEqual([who, read ? 200 : 403])
      const summary = await t.request('GET', `${PROFILES}/summary?team_id=${teamId}`, { token })
      expect([who, summary.statusCode]).toEqual([who, read ? 200 : 403])
      if (write) {
        const uuid = res.data().profile_uuid as string
        expect((await t.request('DELETE', `${PROFILES}/${uuid}`, { token })).statusCode).toBe(200)
      }
    }
    for (const who of ['team maintainer', 'team gitops']) {
      const res = await upload(
        'n.mobileconfig',
        mobileconfig({ identifier: 'n', name: 'N' }),
        [],
        tokens[who],
      )
      expect([who, res.statusCode]).toEqual([who, 403])
    }
    expect((await t.request('GET', PROFILES, {})).statusCode).toBe(401)
  })

  it('summarises hosts by their worst status, from the host status tables', async () => {
    const db = t.deps.db
    const hosts = await Promise.all([0, 1, 2, 3].map(() => buildHost(db, { teamId: otherTeamId })))
    const row = hostProfileRow
    const [h0, h1, h2, h3] = hosts.map((h) => h.uuid)
    await db
      .insertInto('host_mdm_apple_profiles')
      .values([
        row(h0 ?? '', 'a1', 'verified'),
        row(h1 ?? '', 'a1', 'verified'),
        row(h1 ?? '', 'a2', 'verifying'),
        row(h2 ?? '', 'a1', null),
        row(h3 ?? '', 'a1', 'pending'),
      ])
      .execute()
    await db
      .insertInto('host_mdm_apple_declarations')
      .values({ ...hostDeclarationRow(h3 ?? '', 'd1', 'failed'), detail: 'boom' })
      .execute()
    const res = await t.request('GET', `${PROFILES}/summary?team_id=${otherTeamId}`, {
      token: admin,
    })
    expect(res.data()).toEqual({ verified: 1, verifying: 1, pending: 1, failed: 1 })
    const none = await t.request('GET', `${PROFILES}/summary`, { token: admin })
    expect(none.data()).toEqual({ verified: 0, verifying: 0, pending: 0, failed: 0 })
  })
})
