import { FLEET_API } from '@fleet/test-support'
import { parse } from 'plist'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CronJob } from '../../platform/cron-job.js'
import { DIALECTS } from '../../test-utils/databases.js'
import { enableAppleMdm, TEST_SERVER_PRIVATE_KEY } from '../../test-utils/mdm-kit.js'
import { scepIdentity, TestMdmDevice } from '../../test-utils/mdm-device.js'
import { profilesClient, PROFILES } from '../../test-utils/mdm-profiles-kit.js'
import { startTestServer, type TestServer } from '../../test-utils/test-server.js'
import type { PlistDict } from '../mdm-commands/index.js'
import { mobileconfig } from '../mdm-profiles/profile-fixtures.js'
import { PROFILE_LIST_INTERVAL_MS } from './mdm-profile-delivery.cron.js'

const PAYLOAD_UUID = '5A9F8BD2-7CC9-4F2B-9E6F-1A2B3C4D5E6F'

interface Offered {
  uuid: string
  type: string
  command: PlistDict
}

/**
 * A Mac enrolled through SCEP and check-in, answering the commands delivery queues: install →
 * ack → verifying → ProfileList → verified; errors, NotNow, a profile missing from the list,
 * removal.
 */
describe.each(DIALECTS)('profile delivery with an enrolled device [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let job: CronJob
  let device: TestMdmDevice
  let hostId: number
  const { upload } = profilesClient(
    () => t,
    () => admin,
  )

  /** What the device is offered after answering `status` (Idle by default). */
  async function answer(status = 'Idle', extra: PlistDict = {}): Promise<Offered | undefined> {
    const res = await device.report(status, extra)
    expect(res.statusCode).toBe(200)
    if (res.body === '') {
      return undefined
    }
    const plist = parse(res.body) as { CommandUUID: string; Command: PlistDict }
    return {
      uuid: plist.CommandUUID,
      type: String(plist.Command.RequestType),
      command: plist.Command,
    }
  }

  async function statusOf(name: string) {
    const res = await t.request('GET', `${FLEET_API}/hosts/${hostId}/configuration_profiles`, {
      token: admin,
    })
    expect(res.statusCode).toBe(200)
    const profiles = res.data().profiles as { name: string; status: string; detail: string }[]
    const p = profiles.find((x) => x.name === name)
    return p && [p.status, p.detail]
  }

  async function addProfile(key: string, name: string) {
    const res = await upload(
      `${key}.mobileconfig`,
      mobileconfig({ identifier: `com.example.${key}`, name }),
    )
    expect(res.statusCode).toBe(200)
    return String(res.data().profile_uuid)
  }

  beforeAll(async () => {
    t = await startTestServer(dialect, {
      flags: {
        'server.private_key': TEST_SERVER_PRIVATE_KEY,
        // pushes fail at once (nothing listens): the device polls by itself in these tests
        'mdm.apple_apns_url': 'https://127.0.0.1:9',
      },
    })
    admin = await t.setupAdmin()
    const { challenge, topic } = await enableAppleMdm(t, admin)
    device = new TestMdmDevice(t, await scepIdentity(t, challenge), topic)
    expect((await device.authenticate()).statusCode).toBe(200)
    expect((await device.tokenUpdate()).statusCode).toBe(200)
    const row = await t.deps.db
      .selectFrom('mdm_apple_devices')
      .select('host_id')
      .where('id', '=', device.udid)
      .executeTakeFirstOrThrow()
    hostId = Number(row.host_id)
    const found = t.server.cronJobs.find((j) => j.name === 'mdm_apple_profile_manager')
    if (!found) {
      throw new Error('no mdm_apple_profile_manager job')
    }
    job = found
  })
  afterAll(async () => {
    await t.close()
  })

  it('install → Acknowledged → verifying → ProfileList lists it → verified', async () => {
    await addProfile('dock', 'Dock')
    await job.run()
    expect(await statusOf('Dock')).toEqual(['pending', ''])
    const install = await answer()
    expect(install?.type).toBe('InstallProfile')
    const payload = install?.command.Payload
    expect(payload instanceof Uint8Array && Buffer.from(payload).toString()).toContain(
      '<string>com.example.dock</string>',
    )
    expect(await answer('Acknowledged', { CommandUUID: install?.uuid ?? '' })).toBeUndefined()
    expect(await statusOf('Dock')).toEqual(['verifying', ''])

    await job.run()
    const list = await answer()
    expect(list?.type).toBe('ProfileList')
    await answer('Acknowledged', {
      CommandUUID: list?.uuid ?? '',
      ProfileList: [
        {
          PayloadIdentifier: 'com.example.dock',
          PayloadUUID: PAYLOAD_UUID,
          PayloadDisplayName: 'Dock',
        },
      ],
    })
    expect(await statusOf('Dock')).toEqual(['verified', ''])
    // nothing more to do: no command, no write
    expect(await job.run()).toMatchObject({ installs: 0, removes: 0, checks: 0 })
    expect(await answer()).toBeUndefined()
  })

  it('Error → failed with the ErrorChain as detail', async () => {
    const uuid = await addProfile('wifi', 'Wi-Fi')
    await job.run()
    const install = await answer()
    await answer('Error', {
      CommandUUID: install?.uuid ?? '',
      ErrorChain: [
        {
          ErrorCode: 4001,
          ErrorDomain: 'MCInstallationErrorDomain',
          LocalizedDescription: 'Profile installation failed.',
          USEnglishDescription: 'Profile installation failed.',
        },
      ],
    })
    expect(await statusOf('Wi-Fi')).toEqual([
      'failed',
      'MCInstallationErrorDomain (4001): Profile installation failed.',
    ])
    const counts = await t.request('GET', `${PROFILES}/${uuid}/status`, { token: admin })
    expect(counts.json()).toEqual({ verified: 0, verifying: 0, pending: 0, failed: 1 })
    // a resend sends it again on the next run
    const resend = await t.request(
      'POST',
      `${FLEET_API}/hosts/${hostId}/configuration_profiles/${uuid}/resend`,
      { token: admin },
    )
    expect(resend.statusCode).toBe(202)
    await job.run()
    const again = await answer()
    expect(again?.type).toBe('InstallProfile')
    expect(again?.uuid).not.toBe(install?.uuid)
    await answer('Acknowledged', { CommandUUID: again?.uuid ?? '' })
    expect(await statusOf('Wi-Fi')).toEqual(['verifying', ''])
  })

  it('NotNow stays pending; a profile missing from ProfileList is re-installed once, then failed', async () => {
    t.clock.advance(PROFILE_LIST_INTERVAL_MS)
    await job.run() // the ProfileList for Wi-Fi, which is verifying
    await answer('Acknowledged', {
      CommandUUID: (await answer())?.uuid ?? '',
      ProfileList: [{ PayloadIdentifier: 'com.example.dock', PayloadUUID: PAYLOAD_UUID }],
    })
    // Wi-Fi was not listed: back to "not sent", re-installed by the next run
    expect(await statusOf('Wi-Fi')).toEqual([null, ''])
    await job.run()
    const install = await answer()
    expect(install?.type).toBe('InstallProfile')
    expect(await answer('NotNow', { CommandUUID: install?.uuid ?? '' })).toBeUndefined()
    expect(await statusOf('Wi-Fi')).toEqual(['pending', ''])
    const offered = await answer()
    expect(offered?.uuid).toBe(install?.uuid)
    t.clock.advance(1000)
    await answer('Acknowledged', { CommandUUID: install?.uuid ?? '' })
    // acknowledged after the last ProfileList: checked at the next run, not 5 min later
    await job.run()
    const list = await answer()
    expect(list?.type).toBe('ProfileList')
    await answer('Acknowledged', { CommandUUID: list?.uuid ?? '', ProfileList: [] })
    expect(await statusOf('Wi-Fi')).toEqual(['failed', 'profile not found on host'])
  })

  it('a deleted profile is removed: RemoveProfile by identifier, the row goes once acknowledged', async () => {
    const profiles = await t.request('GET', PROFILES, { token: admin })
    const dock = (profiles.data().profiles as { name: string; profile_uuid: string }[]).find(
      (p) => p.name === 'Dock',
    )
    expect(
      (await t.request('DELETE', `${PROFILES}/${dock?.profile_uuid}`, { token: admin })).statusCode,
    ).toBe(200)
    expect(await job.run()).toMatchObject({ removes: 1 })
    expect(await statusOf('Dock')).toEqual(['pending', ''])
    const remove = await answer()
    expect(remove?.type).toBe('RemoveProfile')
    expect(remove?.command.Identifier).toBe('com.example.dock')
    await answer('Acknowledged', { CommandUUID: remove?.uuid ?? '' })
    expect(await statusOf('Dock')).toBeUndefined()
  })
})
