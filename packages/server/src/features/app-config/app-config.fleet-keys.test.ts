import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DIALECTS } from '../../test-utils/databases.js'
import { asRecord, startTestServer, type TestServer } from '../../test-utils/test-server.js'
import { defaultMdmSettings } from '@fleet/api'
import { FLEET_API } from '@fleet/test-support'

/** Settings a Fleet Premium server with MDM exports (`fleetctl get config`), trimmed to the keys at issue. */
function fleetExport() {
  return {
    sso_settings: {
      entity_id: 'fleet.example.com',
      issuer_uri: 'https://idp.example.com/saml',
      idp_image_url: '',
      metadata: '',
      metadata_url: 'https://idp.example.com/metadata.xml',
      idp_name: 'Okta',
      enable_sso: true,
      enable_sso_idp_login: false,
      enable_jit_provisioning: true,
    },
    activity_expiry_settings: { activity_expiry_enabled: true, activity_expiry_window: 30 },
    vulnerability_settings: { databases_path: '/var/lib/fleet/vulndb' },
    scripts: ['lib/collect-fleetd-logs.sh'],
    webhook_settings: {
      activities_webhook: {
        enable_activities_webhook: true,
        destination_url: 'https://hooks.example.com/activities',
      },
    },
    integrations: {
      jira: [],
      zendesk: [],
      google_calendar: [],
      ndes_scep_proxy: {
        url: 'https://ndes.example.com/certsrv/mscep/mscep.dll',
        admin_url: 'https://ndes.example.com/certsrv/mscep_admin/',
        username: 'Administrator@example.com',
        password: 'ndes-s3cret',
      },
    },
    mdm: {
      ...defaultMdmSettings(),
      apple_bm_enabled_and_configured: true,
      enabled_and_configured: true,
      windows_enabled_and_configured: true,
      enable_disk_encryption: true,
      macos_updates: { minimum_version: '14.4.1', deadline: '2026-12-31' },
      windows_updates: { deadline_days: 5, grace_period_days: 1 },
      macos_settings: {
        custom_settings: [{ path: 'lib/macos-password.mobileconfig', labels_include_all: ['Eng'] }],
      },
    },
  }
}

describe.each(DIALECTS)("app config: Fleet's documented keys [%s]", (dialect) => {
  let t: TestServer
  let admin: string
  let observer: string
  beforeEach(async () => {
    t = await startTestServer(dialect)
    admin = await t.setupAdmin()
    observer = (await t.createUser(admin, { email: 'obs@example.com', globalRole: 'observer' }))
      .token
  })
  afterEach(() => t.close())

  const patch = (body: unknown, token = admin, query = '') =>
    t.request('PATCH', `${FLEET_API}/config${query}`, { token, body })

  it('shows every documented key, SSO settings to admins only', async () => {
    const res = await t.request('GET', `${FLEET_API}/config`, { token: admin })
    expect(res.statusCode).toBe(200)
    const config = res.data()
    expect(config).toMatchObject({
      mdm: { enabled_and_configured: false, macos_updates: { minimum_version: null } },
      sso_settings: { enable_sso: false },
      activity_expiry_settings: { activity_expiry_enabled: false, activity_expiry_window: 0 },
      vulnerability_settings: { databases_path: '' },
      vulnerabilities: { disable_schedule: true },
      scripts: null,
      license: { tier: 'premium', expiration: '9999-12-31T23:59:59Z' },
    })
    const seen = (await t.request('GET', `${FLEET_API}/config`, { token: observer })).data()
    expect(seen).toMatchObject({ mdm: { enabled_and_configured: false } })
    expect(seen.sso_settings).toBeUndefined()
  })

  it('applies a config exported from Fleet, stores it, and names what has no effect', async () => {
    const res = await patch(fleetExport())
    expect(res.statusCode, res.body).toBe(200)
    const warnings = res.data().warnings
    expect(warnings).toEqual(
      expect.arrayContaining([
        'mdm.enabled_and_configured',
        'mdm.apple_bm_enabled_and_configured',
        'mdm.windows_enabled_and_configured',
        'mdm.enable_disk_encryption',
        'mdm.macos_updates',
        'sso_settings.enable_sso',
        'vulnerability_settings.databases_path',
        'scripts',
        'webhook_settings.activities_webhook.enable_activities_webhook',
        'integrations.ndes_scep_proxy',
      ]),
    )
    // What the patch left at its default is not reported.
    expect(warnings).not.toContain('mdm.ios_updates')
    const config = (await t.request('GET', `${FLEET_API}/config`, { token: admin })).data()
    expect(config).toMatchObject({
      // The server has no MDM, whatever the exported config says.
      mdm: {
        enabled_and_configured: false,
        windows_enabled_and_configured: false,
        enable_disk_encryption: true,
        macos_updates: { minimum_version: '14.4.1', deadline: '2026-12-31' },
        windows_updates: { deadline_days: 5, grace_period_days: 1 },
      },
      sso_settings: { enable_sso: true, idp_name: 'Okta' },
      scripts: ['lib/collect-fleetd-logs.sh'],
      integrations: { ndes_scep_proxy: { password: '********' } },
    })
    expect(JSON.stringify(config)).not.toContain('ndes-s3cret')

    // The config read back applies again unchanged, the masked secret kept.
    const { license: _l, logging: _g, update_interval: _u, vulnerabilities: _v, ...spec } = config
    expect((await patch(spec)).statusCode).toBe(200)
    const stored = await t.deps.db.selectFrom('app_config').select('json').executeTakeFirstOrThrow()
    expect(stored.json).toContain('ndes-s3cret')
    const again = (await t.request('GET', `${FLEET_API}/config`, { token: admin })).data()
    expect(again).toEqual(config)
  })

  it('says nothing about settings that take effect', async () => {
    const res = await patch({ org_info: { org_name: 'Renamed' } })
    expect(res.statusCode).toBe(200)
    expect(res.data().warnings).toBeUndefined()
  })

  it('refuses unknown and malformed keys, and non-admins', async () => {
    const typo = await patch({ mdm: { enable_disk_encyption: true } })
    expect(typo.statusCode).toBe(400)
    expect(JSON.stringify(typo.json())).toContain('enable_disk_encyption')
    const mode = await patch({ mdm: { macos_migration: { mode: 'sometimes' } } })
    expect(mode.statusCode).toBe(400)
    const window = await patch({
      activity_expiry_settings: { activity_expiry_enabled: true, activity_expiry_window: -1 },
    })
    expect(window.statusCode).toBe(422)
    expect(window.json()).toMatchObject({
      errors: [{ name: 'activity_expiry_settings.activity_expiry_window' }],
    })
    const url = await patch({ sso_settings: { metadata_url: 'javascript:alert(1)' } })
    expect(url.statusCode).toBe(422)
    expect((await patch({ mdm: { enable_disk_encryption: true } }, observer)).statusCode).toBe(403)
    const unchanged = (await t.request('GET', `${FLEET_API}/config`, { token: admin })).data()
    expect(asRecord(unchanged.mdm).enable_disk_encryption).toBe(false)
  })

  it('expires activities past activity_expiry_window, hourly, only while enabled', async () => {
    const job = t.server.cronJobs.find((j) => j.name === 'activities_expiry')
    if (!job) {
      throw new Error('no activities_expiry job')
    }
    const types = async () =>
      (
        await t.deps.db.selectFrom('activities').select('activity_type').orderBy('id').execute()
      ).map((r) => r.activity_type)
    const old = t.clock.now().getTime() - 31 * 86_400_000
    await t.deps.db
      .insertInto('activities')
      .values(
        ['old_one', 'old_two'].map((type) => ({
          created_at: old,
          user_id: null,
          user_name: null,
          user_email: null,
          activity_type: type,
          details: '{}',
          fleet_initiated: 0,
        })),
      )
      .execute()
    const before = await types()
    expect(before).toEqual(expect.arrayContaining(['old_one', 'old_two']))
    expect(await job.run()).toEqual({ activitiesDeleted: 0 })
    expect(await types()).toEqual(before)

    const on = await patch({
      activity_expiry_settings: { activity_expiry_enabled: true, activity_expiry_window: 30 },
    })
    expect(on.statusCode).toBe(200)
    expect(on.data().warnings).toBeUndefined()
    expect(await job.run()).toEqual({ activitiesDeleted: 2 })
    // Recent ones (the setup's, the change that turned expiry on) stay.
    const after = await types()
    expect(after).not.toContain('old_one')
    expect(after).toHaveLength(before.length - 1)
  })

  it('checks without storing on dry_run, still naming what would have no effect', async () => {
    const res = await patch({ mdm: { enable_disk_encryption: true } }, admin, '?dry_run=true')
    expect(res.statusCode).toBe(200)
    expect(res.data().warnings).toEqual(['mdm.enable_disk_encryption'])
    const config = (await t.request('GET', `${FLEET_API}/config`, { token: admin })).data()
    expect(asRecord(config.mdm).enable_disk_encryption).toBe(false)
  })
})
