import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readContext } from '../config-file.js'
import { startFakeFleet, type FakeFleet } from '../test-utils/fake-fleet.js'
import { userFixture } from '../test-utils/fixtures.js'
import { createHarness, type Harness } from '../test-utils/harness.js'

let h: Harness
let fleet: FakeFleet | undefined
beforeEach(async () => {
  h = await createHarness()
})
afterEach(async () => {
  await fleet?.close()
  fleet = undefined
  await h.cleanup()
})

describe('config set / get', () => {
  it('sets keys in the chosen context and prints them back', async () => {
    const set = await h.fleetctl([
      'config',
      'set',
      '--context',
      'prod',
      '--address',
      'https://fleet.example.com/',
      '--tls-skip-verify',
      '--token',
      'secret-token',
    ])
    expect(set.code).toBe(0)
    expect(set.out).toBe(
      [
        '[+] Context "prod" not found, creating it with default values',
        '[+] Set the address config key to "https://fleet.example.com" in the "prod" context',
        '[+] Set the token config key to "<redacted>" in the "prod" context',
        '[+] Set the tls-skip-verify config key to "true" in the "prod" context',
        '',
      ].join('\n'),
    )
    const one = await h.fleetctl(['config', 'get', 'token', '--context', 'prod'])
    expect(one.out).toBe('  prod.token => secret-token\n')
    const all = await h.fleetctl(['--context', 'prod', 'config', 'get'])
    expect(all.out).toContain('  prod.token => <redacted>\n')
    expect(all.out).toContain('  prod.tls-skip-verify => true\n')
  })

  it('stores --rootca as an absolute path and refuses unknown keys', async () => {
    await h.fleetctl(['config', 'set', '--rootca', 'ca.pem'])
    expect((await readContext(h.configPath, 'default'))?.rootca).toBe(`${h.dir}/ca.pem`)
    const bad = await h.fleetctl(['config', 'get', 'colour'])
    expect(bad.code).toBe(1)
    expect(bad.err).toMatch(/^Error: "colour" is an invalid key/)
  })

  it('asks for the address before talking to a server', async () => {
    const res = await h.fleetctl(['get', 'teams'])
    expect(res.code).toBe(1)
    expect(res.err).toContain('fleetctl config set --address')
  })
})

describe('setup', () => {
  it('posts to /api/v1/setup and stores the token and email', async () => {
    fleet = await startFakeFleet({
      'POST /api/v1/setup': () => ({
        body: {
          admin: userFixture({ email: 'admin@example.com' }),
          org_info: { org_name: 'Acme' },
          server_url: 'x',
          osquery_enroll_secret: null,
          token: 'setup-token',
        },
      }),
    })
    await h.login(fleet.url)
    const res = await h.fleetctl(
      ['setup', '--email', 'admin@example.com', '--name', 'Admin', '--org-name', 'Acme'],
      { answers: ['p4ssw0rd.123!', 'p4ssw0rd.123!'] },
    )
    expect(res.err).toBe('')
    expect(res.code).toBe(0)
    expect(res.out).toContain('[+] Fleet setup successful and context configured!')
    expect(fleet.requests[0]?.body).toEqual({
      admin: {
        admin: true,
        email: 'admin@example.com',
        name: 'Admin',
        password: 'p4ssw0rd.123!',
        password_confirmation: 'p4ssw0rd.123!',
      },
      org_info: { org_name: 'Acme' },
      server_url: fleet.url,
    })
    expect(await readContext(h.configPath, 'default')).toMatchObject({
      token: 'setup-token',
      email: 'admin@example.com',
    })
  })

  it('prints a refused setup as Error: with the status, and no stack', async () => {
    fleet = await startFakeFleet({
      'POST /api/v1/setup': () => ({
        status: 409,
        body: { message: 'Fleet has already been set up', code: 'SETUP_ALREADY_DONE', errors: [] },
      }),
    })
    await h.login(fleet.url)
    const res = await h.fleetctl([
      'setup',
      ...['--email', 'a@b.co', '--name', 'A', '--org-name', 'O', '--password', 'x'],
    ])
    expect(res.code).toBe(1)
    expect(res.err).toBe(
      'Error: error setting up Fleet: Fleet has already been set up (status 409)\n',
    )
  })
})

describe('login / logout', () => {
  it('logs in with prompted credentials and stores the token', async () => {
    fleet = await startFakeFleet({
      'POST /api/latest/fleet/login': () => ({
        body: {
          user: userFixture({ email: 'me@example.com' }),
          available_teams: [],
          token: 'sess',
        },
      }),
    })
    await h.login(fleet.url)
    const res = await h.fleetctl(['login'], { answers: ['me@example.com', 'hunter2'] })
    expect(res.code).toBe(0)
    expect(res.questions).toEqual(['Email: ', 'Password: '])
    expect(res.out).toBe('[+] Fleet login successful and context configured!\n')
    expect(fleet.requests[0]?.body).toEqual({ email: 'me@example.com', password: 'hunter2' })
    expect(await readContext(h.configPath, 'default')).toMatchObject({
      token: 'sess',
      email: 'me@example.com',
    })
  })

  it('prints the failure with its field errors', async () => {
    fleet = await startFakeFleet({
      'POST /api/latest/fleet/login': () => ({
        status: 401,
        body: {
          message: 'Authentication failed',
          code: 'AUTH_FAILED',
          errors: [
            { name: 'base', reason: 'Authentication failed' },
            { name: 'email', reason: 'unknown or wrong password' },
          ],
        },
      }),
    })
    await h.login(fleet.url)
    const res = await h.fleetctl(['login', '--email', 'me@example.com', '--password', 'nope'])
    expect(res.code).toBe(1)
    expect(res.err).toBe(
      'Error: Login failed: Authentication failed (status 401)\n  - email: unknown or wrong password\n',
    )
  })

  it('logs out and clears the token', async () => {
    fleet = await startFakeFleet({ 'POST /api/latest/fleet/logout': () => ({ body: {} }) })
    await h.login(fleet.url, 'sess')
    const res = await h.fleetctl(['logout'])
    expect(res.code).toBe(0)
    expect(fleet.requests[0]?.authorization).toBe('Bearer sess')
    expect((await readContext(h.configPath, 'default'))?.token).toBe('')
    expect(res.out).toBe('[+] Fleet logout successful and local token cleared!\n')
  })
})

describe('user create', () => {
  const created = (token?: string) => () => ({ body: { user: userFixture({ id: 9 }), token } })

  it('creates an API-only user and prints its token', async () => {
    fleet = await startFakeFleet({ 'POST /api/latest/fleet/users/admin': created('api-tok') })
    await h.login(fleet.url, 'admin-token')
    const res = await h.fleetctl([
      ...['user', 'create', '--name', 'Bot', '--email', 'bot@example.com'],
      ...['--password', 'p4ssw0rd.123!', '--api-only', '--global-role', 'maintainer'],
    ])
    expect(res.code).toBe(0)
    expect(res.out).toBe('Success! The API token for your new user is: api-tok\n')
    expect(fleet.requests[0]?.body).toEqual({
      name: 'Bot',
      email: 'bot@example.com',
      password: 'p4ssw0rd.123!',
      sso_enabled: false,
      api_only: true,
      admin_forced_password_reset: false,
      global_role: 'maintainer',
    })
  })

  it('sends team roles, and forces a password reset for a regular user', async () => {
    fleet = await startFakeFleet({ 'POST /api/latest/fleet/users/admin': created() })
    await h.login(fleet.url, 'admin-token')
    const res = await h.fleetctl([
      ...['user', 'create', '--name', 'Ann', '--email', 'ann@example.com', '--password', 'x'],
      ...['--team', '1:observer', '-t', '2:maintainer'],
    ])
    expect(res.code).toBe(0)
    expect(res.out).toBe('')
    expect(fleet.requests[0]?.body).toMatchObject({
      admin_forced_password_reset: true,
      global_role: null,
      teams: [
        { id: 1, role: 'observer' },
        { id: 2, role: 'maintainer' },
      ],
    })
  })

  it('refuses bad roles before calling the server', async () => {
    await h.login('http://127.0.0.1:9', 'admin-token')
    const base = ['user', 'create', '--name', 'A', '--email', 'a@b.co', '--password', 'x']
    const both = await h.fleetctl([...base, '--global-role', 'admin', '--team', '1:admin'])
    expect(both.err).toBe('Error: Users may not have global_role and teams.\n')
    const bad = await h.fleetctl([...base, '--global-role', 'superuser'])
    expect(bad.err).toBe("Error: 'superuser' is not a valid global role\n")
    const malformed = await h.fleetctl([...base, '--team', 'one:admin'])
    expect(malformed.err).toMatch(/^Error: Unable to parse team_id 'one'/)
  })
})
