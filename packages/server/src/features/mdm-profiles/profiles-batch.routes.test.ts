import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildLabel, buildTeam } from '../../test-utils/factories.js'
import { DIALECTS } from '../../test-utils/databases.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { SAME_NAME } from './profile-checks.js'
import { mobileconfig } from './profile-fixtures.js'
import { BOTH_TEAM_KEYS, DUPLICATE_NAMES } from './profiles-batch.service.js'
import {
  b64,
  BATCH,
  errorsOf,
  fixture,
  profilesClient,
  PROFILES,
} from '../../test-utils/mdm-profiles-kit.js'

describe.each(DIALECTS)('POST /mdm/profiles/batch [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  const tokens: Record<string, string> = {}
  let labelA: { id: number; name: string }
  const { upload, list, activities } = profilesClient(
    () => t,
    () => admin,
  )

  beforeAll(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    labelA = await buildLabel(t.deps.db, { name: 'Label A' })
    tokens['global gitops'] = (
      await t.createUser(admin, { email: 'g@example.com', globalRole: 'gitops', apiOnly: true })
    ).token
    tokens['global observer'] = (
      await t.createUser(admin, { email: 'o@example.com', globalRole: 'observer' })
    ).token
  })
  afterAll(() => t.close())

  it('batch: dry run writes nothing, a run replaces the set and keeps unchanged uuids', async () => {
    const team = await buildTeam(t.deps.db, { name: 'GitOps team' })
    const keep = mobileconfig({ identifier: 'keep', name: 'Keep' })
    const kept = await upload('k.mobileconfig', keep, [['team_id', String(team.id)]])
    const gone = await upload(
      'g.mobileconfig',
      mobileconfig({ identifier: 'gone', name: 'Gone' }),
      [['team_id', String(team.id)]],
    )
    expect([kept.statusCode, gone.statusCode]).toEqual([200, 200])
    const profiles = [
      { name: 'Keep', contents: b64(keep) },
      {
        name: 'passcode',
        contents: b64(fixture('passcode-settings.json')),
        labels_include_any: [labelA.name],
      },
    ]
    const dry = await t.request('POST', `${BATCH}?team_name=GitOps%20team&dry_run=true`, {
      token: tokens['global gitops'],
      body: { profiles },
    })
    expect(dry.statusCode).toBe(204)
    expect((await list(`?team_id=${team.id}`)).map((p) => p.name)).toEqual(['Gone', 'Keep'])
    const run = await t.request('POST', `${BATCH}?team_id=${team.id}`, {
      token: tokens['global gitops'],
      body: { profiles },
    })
    expect(run.statusCode).toBe(204)
    const after = await list(`?team_id=${team.id}`)
    expect(after.map((p) => p.name)).toEqual(['Keep', 'passcode'])
    expect(after[0]?.profile_uuid).toBe(kept.data().profile_uuid)
    expect(after[1]?.labels_include_any).toEqual([{ name: labelA.name, id: labelA.id }])
    const types = (await activities())
      .slice(0, 2)
      .map((a) => a.type)
      .sort()
    expect(types).toEqual(['edited_declaration_profile', 'edited_macos_profile'])
    // A bad entry refuses the whole batch; duplicate names too; observers may not.
    const bad = await t.request('POST', `${BATCH}?team_id=${team.id}`, {
      token: admin,
      body: { profiles: [{ name: 'os', contents: b64(fixture('software-update.json')) }] },
    })
    expect(bad.statusCode).toBe(422)
    const dup = await t.request('POST', `${BATCH}?team_id=${team.id}`, {
      token: admin,
      body: {
        profiles: [
          { name: 'Keep', contents: b64(keep) },
          { name: 'Keep', contents: b64(keep) },
        ],
      },
    })
    expect([dup.statusCode, errorsOf(dup)]).toEqual([400, [DUPLICATE_NAMES]])
    const observer = await t.request('POST', `${BATCH}?team_id=${team.id}`, {
      token: tokens['global observer'],
      body: { profiles: [] },
    })
    expect(observer.statusCode).toBe(403)
    expect((await list(`?team_id=${team.id}`)).map((p) => p.name)).toEqual(['Keep', 'passcode'])
    // A changed file keeps its uuid (same identifier) and gets a new checksum.
    const changed = mobileconfig({
      identifier: 'keep',
      name: 'Keep',
      payloadTypes: ['com.apple.x'],
    })
    const edit = await t.request('POST', `${BATCH}?team_id=${team.id}`, {
      token: admin,
      body: { profiles: [{ name: 'Keep', contents: b64(changed) }, profiles[1]] },
    })
    expect(edit.statusCode).toBe(204)
    const [edited] = await list(`?team_id=${team.id}`)
    expect(edited?.profile_uuid).toBe(kept.data().profile_uuid)
    expect(edited?.checksum).not.toBe(after[0]?.checksum)
    const media = await t.request('GET', `${PROFILES}/${String(edited?.profile_uuid)}?alt=media`, {
      token: admin,
    })
    expect(media.body).toBe(changed)
    const unknownTeam = await t.request('POST', `${BATCH}?team_name=Nope`, {
      token: admin,
      body: { profiles: [] },
    })
    expect(unknownTeam.statusCode).toBe(404)
    const bothKeys = await t.request('POST', `${BATCH}?team_name=Nope&team_id=${team.id}`, {
      token: admin,
      body: { profiles: [] },
    })
    expect([bothKeys.statusCode, errorsOf(bothKeys)]).toEqual([400, [BOTH_TEAM_KEYS]])
    // Swapping two names trips the per-team unique key mid-write: a 409, nothing changed.
    const x = mobileconfig({ identifier: 'x', name: 'X' })
    const y = mobileconfig({ identifier: 'y', name: 'Y' })
    const setXY = await t.request('POST', `${BATCH}?team_id=${team.id}`, {
      token: admin,
      body: {
        profiles: [
          { name: 'X', contents: b64(x) },
          { name: 'Y', contents: b64(y) },
        ],
      },
    })
    expect(setXY.statusCode).toBe(204)
    const swapped = [
      { name: 'Y', contents: b64(mobileconfig({ identifier: 'x', name: 'Y' })) },
      { name: 'X', contents: b64(mobileconfig({ identifier: 'y', name: 'X' })) },
    ]
    const swap = await t.request('POST', `${BATCH}?team_id=${team.id}`, {
      token: admin,
      body: { profiles: swapped },
    })
    expect([swap.statusCode, errorsOf(swap)]).toEqual([409, [SAME_NAME]])
    expect((await list(`?team_id=${team.id}`)).map((p) => [p.name, p.identifier])).toEqual([
      ['X', 'x'],
      ['Y', 'y'],
    ])
    // An empty set deletes everything.
    await t.request('POST', `${BATCH}?team_id=${team.id}`, { token: admin, body: { profiles: [] } })
    expect(await list(`?team_id=${team.id}`)).toEqual([])
  })
})
