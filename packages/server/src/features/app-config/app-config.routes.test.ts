import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MemoryPubSub } from '../../platform/pubsub/index.js'
import { DIALECTS } from '../../test-utils/databases.js'
import {
  asRecord,
  buildSecondInstance,
  startTestServer,
  type TestServer,
} from '../../test-utils/test-server.js'
import { eventually, FLEET_API } from '@fleet/test-support'

describe.each(DIALECTS)('app config [%s]', (dialect) => {
  let t: TestServer
  let admin: string
  let observer: string
  let pubsub: MemoryPubSub
  // The settings are one record every test changes, so each test gets a server of its own.
  beforeEach(async () => {
    pubsub = new MemoryPubSub()
    t = await startTestServer(dialect, { pubsub })
    admin = await t.setupAdmin()
    observer = (await t.createUser(admin, { email: 'obs@example.com', globalRole: 'observer' }))
      .token
  })
  afterEach(() => t.close())

  it('shows admins everything, with the SMTP password masked', async () => {
    const patch = await t.request('PATCH', `${FLEET_API}/config`, {
      token: admin,
      body: {
        smtp_settings: {
          enable_smtp: true,
          server: 'smtp.example.com',
          user_name: 'mailer',
          password: 's3cret-smtp',
        },
      },
    })
    expect(patch.statusCode).toBe(200)
    const res = await t.request('GET', `${FLEET_API}/config`, { token: admin })
    expect(res.data()).toMatchObject({
      smtp_settings: { server: 'smtp.example.com', password: '********' },
      agent_options: { config: { options: { distributed_interval: 10 } } },
      license: { tier: 'premium' },
    })
    expect(res.body).not.toContain('s3cret-smtp')
    // Sending the mask back keeps the stored password.
    await t.request('PATCH', `${FLEET_API}/config`, {
      token: admin,
      body: { smtp_settings: { password: '********', port: 465 } },
    })
    const stored = await t.deps.db.selectFrom('app_config').select('json').executeTakeFirstOrThrow()
    expect(stored.json).toContain('s3cret-smtp')
  })

  it('hides SMTP settings and agent options from observers, and refuses their changes', async () => {
    const res = await t.request('GET', `${FLEET_API}/config`, { token: observer })
    expect(res.statusCode).toBe(200)
    expect(res.data()).toMatchObject({ org_info: { org_name: 'Acme' } })
    expect(res.data().smtp_settings).toBeUndefined()
    expect(res.data().agent_options).toBeUndefined()
    const patch = await t.request('PATCH', `${FLEET_API}/config`, {
      token: observer,
      body: { org_info: { org_name: 'Hacked' } },
    })
    expect(patch.statusCode).toBe(403)
  })

  it('deep-merges a patch and records what changed', async () => {
    const res = await t.request('PATCH', `${FLEET_API}/config`, {
      token: admin,
      body: { org_info: { contact_url: 'https://help.example.com' } },
    })
    expect(res.statusCode).toBe(200)
    expect(res.data()).toMatchObject({
      org_info: { org_name: 'Acme', contact_url: 'https://help.example.com' },
    })
    const activities = await t.request('GET', `${FLEET_API}/activities?per_page=1`, {
      token: admin,
    })
    expect(activities.data().activities).toMatchObject([
      { type: 'edited_app_config', details: { changed_keys: ['org_info'] } },
    ])
  })

  it('replaces agent options whole and records edited_agent_options', async () => {
    const res = await t.request('PATCH', `${FLEET_API}/config`, {
      token: admin,
      body: { agent_options: { config: { options: { distributed_interval: 30 } } } },
    })
    expect(res.statusCode).toBe(200)
    expect(res.data().agent_options).toEqual({ config: { options: { distributed_interval: 30 } } })
    const activities = await t.request(
      'GET',
      `${FLEET_API}/activities?activity_type=edited_agent_options`,
      { token: admin },
    )
    expect(activities.data().activities).toMatchObject([
      { details: { global: true, team_id: null } },
    ])
  })

  it('validates osquery option names and types in agent options, unless forced', async () => {
    const patch = (options: Record<string, unknown>, query = '') =>
      t.request('PATCH', `${FLEET_API}/config${query}`, {
        token: admin,
        body: { agent_options: { config: { options } } },
      })
    const unknown = await patch({ distributed_intervall: 10 })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json()).toMatchObject({
      errors: [{ name: 'agent_options.config.options.distributed_intervall' }],
    })
    const wrongType = await patch({ distributed_interval: '10' })
    expect(wrongType.statusCode).toBe(400)
    expect(wrongType.json()).toMatchObject({
      errors: [
        {
          name: 'agent_options.config.options.distributed_interval',
          reason: 'must be a non-negative integer',
        },
      ],
    })
    expect((await patch({ verbose: 'yes' })).statusCode).toBe(400)
    // A start-up-only flag is not a runtime option, but is a valid command-line flag.
    expect((await patch({ tls_hostname: 'fleet.example.com' })).statusCode).toBe(400)
    const flags = await t.request('PATCH', `${FLEET_API}/config`, {
      token: admin,
      body: { agent_options: { command_line_flags: { tls_hostname: 'fleet.example.com' } } },
    })
    expect(flags.statusCode).toBe(200)
    const badFlag = await t.request('PATCH', `${FLEET_API}/config`, {
      token: admin,
      body: { agent_options: { command_line_flags: { no_such_flag: true } } },
    })
    expect(badFlag.statusCode).toBe(400)

    const forced = await patch({ option_of_a_newer_osquery: 1 }, '?force=true')
    expect(forced.statusCode).toBe(200)
    expect(forced.data().agent_options).toEqual({
      config: { options: { option_of_a_newer_osquery: 1 } },
    })
    // Forced options stay stored while other settings change.
    const other = await t.request('PATCH', `${FLEET_API}/config`, {
      token: admin,
      body: { org_info: { contact_url: 'https://example.com/help' } },
    })
    expect(other.statusCode).toBe(200)
    expect(other.data().agent_options).toEqual(forced.data().agent_options)
    const valid = await patch({ distributed_interval: 30, verbose: false, pack_delimiter: '/' })
    expect(valid.statusCode).toBe(200)
  })

  it('refuses unknown keys (400) and bad values (422) and changes nothing', async () => {
    const unknown = await t.request('PATCH', `${FLEET_API}/config`, {
      token: admin,
      body: { org_info: { org_nam: 'typo' } },
    })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json()).toMatchObject({
      errors: [{ name: 'org_info.org_nam', reason: 'unsupported key provided' }],
    })
    const wrongType = await t.request('PATCH', `${FLEET_API}/config`, {
      token: admin,
      body: { server_settings: { live_query_disabled: 'yes' } },
    })
    expect(wrongType.statusCode).toBe(400)
    expect(wrongType.json()).toMatchObject({
      errors: [{ name: 'server_settings.live_query_disabled' }],
    })
    const badHook = await t.request('PATCH', `${FLEET_API}/config`, {
      token: admin,
      body: {
        webhook_settings: {
          host_status_webhook: { enable_host_status_webhook: true, destination_url: 'not a url' },
        },
      },
    })
    expect(badHook.statusCode).toBe(422)
    const dry = await t.request('PATCH', `${FLEET_API}/config?dry_run=true`, {
      token: admin,
      body: { org_info: { org_name: 'Dry' } },
    })
    expect(dry.statusCode).toBe(200)
    expect(dry.data()).toMatchObject({ org_info: { org_name: 'Dry' } })
    const after = await t.request('GET', `${FLEET_API}/config`, { token: admin })
    expect(after.data()).toMatchObject({
      org_info: { org_name: 'Acme' },
      server_settings: { live_query_disabled: false },
    })
  })

  it('refuses admin-set URLs that are not http(s), naming the field (422)', async () => {
    for (const [body, name] of [
      [
        { fleet_desktop: { transparency_url: 'javascript:alert(1)' } },
        'fleet_desktop.transparency_url',
      ],
      [
        { fleet_desktop: { transparency_url: 'https://example.com/\r\nSet-Cookie: a=b' } },
        'fleet_desktop.transparency_url',
      ],
      [{ org_info: { org_logo_url: 'file:///etc/passwd' } }, 'org_info.org_logo_url'],
      [
        { webhook_settings: { failing_policies_webhook: { destination_url: 'data:,x' } } },
        'webhook_settings.failing_policies_webhook.destination_url',
      ],
    ] as const) {
      const res = await t.request('PATCH', `${FLEET_API}/config`, { token: admin, body })
      expect(res.statusCode, JSON.stringify(body)).toBe(422)
      expect(res.data().errors).toEqual([{ name, reason: 'must be an http or https URL' }])
    }
    const ok = await t.request('PATCH', `${FLEET_API}/config`, {
      token: admin,
      body: { fleet_desktop: { transparency_url: 'https://example.com/privacy' } },
    })
    expect(ok.statusCode).toBe(200)
    await t.request('PATCH', `${FLEET_API}/config`, {
      token: admin,
      body: { fleet_desktop: { transparency_url: '' } },
    })
  })

  it('another instance sharing the database sees a change after the pub/sub invalidation', async () => {
    const second = await buildSecondInstance(t, pubsub)
    try {
      const read = async () => {
        const res = await second.app.inject({
          method: 'GET',
          url: `${FLEET_API}/config`,
          headers: { authorization: `Bearer ${admin}` },
        })
        return asRecord(asRecord(res.json()).org_info).org_name
      }
      expect(await read()).toBe('Acme')
      await t.request('PATCH', `${FLEET_API}/config`, {
        token: admin,
        body: { org_info: { org_name: 'Acme 2' } },
      })
      await eventually(async () => expect(await read()).toBe('Acme 2'))
    } finally {
      await second.close()
    }
  })
})
