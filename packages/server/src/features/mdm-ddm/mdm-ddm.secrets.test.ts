import { FLEET_API } from '@fleet/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import {
  ddmJson,
  hostRows,
  startDdmTestbed,
  uploadDeclaration,
  type DdmTestbed,
} from '../../test-utils/ddm-kit.js'
import { errorsOf } from '../../test-utils/mdm-profiles-kit.js'
import type { TestMdmDevice } from '../../test-utils/mdm-device.js'
import { reconcileDeclarations } from './reconcile.cron.js'

const ID = 'com.example.secret.passcode'
const FILE = JSON.stringify({
  Type: 'com.apple.configuration.passcode.settings',
  Identifier: ID,
  Payload: { MinimumLength: 6, Note: 'pin ${FLEET_SECRET_PIN} / $FLEET_SECRET_PIN' },
})

describe.each(DIALECTS)('DDM with $FLEET_SECRET_* variables [%s]', (dialect) => {
  let bed: DdmTestbed
  let device: TestMdmDevice
  const reconcile = () =>
    reconcileDeclarations({
      deps: bed.t.deps,
      queue: bed.queue,
      pendingTimeoutMs: bed.t.deps.config.mdm.apple_profile_pending_timeout,
    })
  const setSecret = async (value: string) => {
    const res = await bed.t.request('PUT', `${FLEET_API}/spec/secret_variables`, {
      token: bed.admin,
      body: { secrets: [{ name: 'FLEET_SECRET_PIN', value }] },
    })
    expect(res.statusCode, res.body).toBe(200)
  }
  const note = async () =>
    ((await ddmJson(device, `declaration/configuration/${ID}`)) as { Payload: { Note: string } })
      .Payload.Note

  beforeAll(async () => {
    bed = await startDdmTestbed(dialect)
    device = await bed.newDevice()
  })
  afterAll(() => bed.close())

  it('refuses an upload naming a secret that does not exist', async () => {
    const res = await bed.profiles.upload('secret.json', FILE)
    expect([res.statusCode, errorsOf(res)]).toEqual([
      400,
      ['Couldn\'t add. Variable "$FLEET_SECRET_PIN" missing'],
    ])
  })

  it('stores the file unexpanded, serves it expanded; a new value → new token → resync', async () => {
    await setSecret('1234')
    await uploadDeclaration(bed, 'secret.json', FILE)
    const stored = await bed.t.database.db
      .selectFrom('mdm_apple_declarations')
      .select(['raw_json', 'token', 'secrets_updated_at'])
      .where('identifier', '=', ID)
      .executeTakeFirstOrThrow()
    expect(stored.raw_json).toBe(FILE)
    expect(stored.secrets_updated_at).not.toBeNull()

    await reconcile()
    expect(await note()).toBe('pin 1234 / 1234')
    const [first] = await hostRows(bed.t, device.udid)
    expect(first?.token).toBe(stored.token)

    bed.t.clock.advance(1000)
    await setSecret('5678')
    expect(await reconcile()).toMatchObject({ rows_written: 1, hosts_synced: 1 })
    const [after] = await hostRows(bed.t, device.udid)
    expect(after?.token).not.toBe(first?.token)
    expect(after?.status).toBe('pending')
    expect(await note()).toBe('pin 5678 / 5678')
    const config = await ddmJson(device, `declaration/configuration/${ID}`)
    expect(config.ServerToken).toBe(after?.token)

    // The same value again changes nothing.
    await setSecret('5678')
    expect(await reconcile()).toMatchObject({ rows_written: 0, hosts_synced: 0 })
  })
})
