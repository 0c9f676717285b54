import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildHost, buildLabel, buildTeam } from '../../test-utils/factories.js'
import { DIALECTS } from '../../test-utils/databases.js'
import {
  hostDeclarationRow,
  hostProfileRow,
  profilesClient,
} from '../../test-utils/mdm-profiles-kit.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { declaration, mobileconfig } from './profile-fixtures.js'

describe.each(DIALECTS)('deleting a team deletes its profiles [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  const { upload, list } = profilesClient(
    () => t,
    () => admin,
  )

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
  })
  afterAll(() => t.close())

  const db = () => t.deps.db
  async function uploadBoth(teamId: number | null, labelName: string): Promise<string[]> {
    const team: [string, string][] = teamId === null ? [] : [['team_id', String(teamId)]]
    const a = await upload('dock.mobileconfig', mobileconfig(), [
      ...team,
      ['labels_include_any', labelName],
    ])
    expect(a.statusCode).toBe(200)
    const d = await upload(
      'passcode.json',
      declaration('com.apple.configuration.passcode.settings'),
      [...team, ['labels_exclude_any', labelName]],
    )
    expect(d.statusCode).toBe(200)
    return [String(a.data().profile_uuid), String(d.data().profile_uuid)]
  }

  it('removes the team profiles, declarations, label rows and unsent host rows, nothing else', async () => {
    const doomed = await buildTeam(db(), { name: 'Doomed' })
    const kept = await buildTeam(db(), { name: 'Kept' })
    const label = await buildLabel(db(), { name: 'Scoped' })
    const [doomedProfile = '', doomedDeclaration = ''] = await uploadBoth(doomed.id, label.name)
    const keptUuids = await uploadBoth(kept.id, label.name)
    const noTeamUuids = await uploadBoth(null, label.name)
    const [sent, unsent] = await Promise.all([
      buildHost(db(), { teamId: doomed.id }),
      buildHost(db(), { teamId: doomed.id }),
    ])
    await db()
      .insertInto('host_mdm_apple_profiles')
      .values([
        hostProfileRow(sent.uuid, doomedProfile, 'verified'),
        hostProfileRow(unsent.uuid, doomedProfile, null),
      ])
      .execute()
    await db()
      .insertInto('host_mdm_apple_declarations')
      .values([
        hostDeclarationRow(sent.uuid, doomedDeclaration, 'verified'),
        hostDeclarationRow(unsent.uuid, doomedDeclaration, null),
      ])
      .execute()

    const res = await t.request('DELETE', `${FLEET_API}/teams/${doomed.id}`, { token: admin })
    expect(res.statusCode).toBe(200)

    const uuidsLeft = async () => [
      ...(
        await db().selectFrom('mdm_apple_configuration_profiles').select('profile_uuid').execute()
      ).map((r) => r.profile_uuid),
      ...(await db().selectFrom('mdm_apple_declarations').select('declaration_uuid').execute()).map(
        (r) => r.declaration_uuid,
      ),
    ]
    expect((await uuidsLeft()).sort()).toEqual([...keptUuids, ...noTeamUuids].sort())
    const labelRows = await db().selectFrom('mdm_profile_labels').select('profile_uuid').execute()
    expect(labelRows.map((r) => r.profile_uuid).sort()).toEqual(
      [...keptUuids, ...noTeamUuids].sort(),
    )
    // Rows already on a device stay for delivery to turn into removals; unsent ones go.
    const profileRows = await db()
      .selectFrom('host_mdm_apple_profiles')
      .select(['host_uuid', 'status'])
      .where('profile_uuid', '=', doomedProfile)
      .execute()
    expect(profileRows).toEqual([{ host_uuid: sent.uuid, status: 'verified' }])
    const declarationRows = await db()
      .selectFrom('host_mdm_apple_declarations')
      .select(['host_uuid', 'status'])
      .where('declaration_uuid', '=', doomedDeclaration)
      .execute()
    expect(declarationRows).toEqual([{ host_uuid: sent.uuid, status: 'verified' }])
  })

  it('deletes nothing when the team cannot be deleted', async () => {
    const team = await buildTeam(db(), { name: 'Guarded' })
    const label = await buildLabel(db(), { name: 'Guard label' })
    const uuids = await uploadBoth(team.id, label.name)
    const observer = await t.createUser(admin, {
      email: 'observer-td@example.com',
      globalRole: 'observer',
    })
    const res = await t.request('DELETE', `${FLEET_API}/teams/${team.id}`, {
      token: observer.token,
    })
    expect(res.statusCode).toBe(403)
    const missing = await t.request('DELETE', `${FLEET_API}/teams/999999`, { token: admin })
    expect(missing.statusCode).toBe(404)
    const listed = await list(`?team_id=${team.id}`)
    expect(listed.map((p) => p.profile_uuid).sort()).toEqual([...uuids].sort())
  })
})
