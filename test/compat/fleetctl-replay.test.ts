import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultMdmSettings } from '@fleet/api'
import { decodedByGo, type GoRequest } from './go-client.js'
import { ADMIN, asList, asObject, startReplayServer, type ReplayServer } from './replay-server.js'

// Replays real fleetctl's requests — method, path, query string, JSON body as Go marshals its
// structs (zero values, `null` slices, unknown-to-us fields) and headers — for the commands the
// README lists, and checks each answer is one fleetctl's Go structs decode. The Go source of each
// request is named above it (fleetdm/fleet). Live queries, hosts and transfers are in
// fleetctl-replay-hosts.test.ts; users, roles, carves and trigger in fleetctl-replay-users.test.ts.

let rs: ReplayServer
const send = (method: string, path: string, req: Omit<GoRequest, 'token'> = {}) =>
  rs.go.send(method, path, { ...req, token: rs.token })

describe('real fleetctl request shapes', () => {
  beforeAll(async () => {
    rs = await startReplayServer('Replay org')
  })
  afterAll(async () => {
    await rs?.stop()
  })

  it('login and logout (client_sessions.go: Login, Logout)', async () => {
    // Login: POST /api/latest/fleet/login by Do (no token), body loginRequest{email,password};
    // fleetctl needs exactly 200 and decodes loginResponse.token.
    const login = await rs.go.send('POST', '/api/latest/fleet/login', {
      body: { email: ADMIN.email, password: ADMIN.password },
    })
    expect(login.status, login.text).toBe(200)
    const body = decodedByGo(login)
    expect(body.token).toEqual(expect.any(String))
    expect(asObject(body.user)).toMatchObject({ email: ADMIN.email, id: expect.any(Number) })

    // Logout: POST /api/latest/fleet/logout by authenticatedRequest with nil params (no body).
    const token = String(body.token)
    const logout = await rs.go.send('POST', '/api/latest/fleet/logout', { token })
    decodedByGo(logout)
    const after = await rs.go.send('GET', '/api/latest/fleet/me', { token })
    expect(after.status).toBe(401)

    // A wrong password: fleetctl reports the status and the server's error text.
    const bad = await rs.go.send('POST', '/api/latest/fleet/login', {
      body: { email: ADMIN.email, password: 'not-it-1!' },
    })
    expect(bad.status).toBe(401)
  })

  it('get config and apply kind: config (client_appconfig.go: GetAppConfig, ApplyAppConfig)', async () => {
    // GetAppConfig: GET /api/latest/fleet/config into fleet.EnrichedAppConfig.
    const config = decodedByGo(await send('GET', '/api/latest/fleet/config'))
    const orgName = asObject(config.org_info).org_name
    expect(orgName).toEqual(expect.any(String))
    expect(asObject(config.server_settings)).toMatchObject({ server_url: rs.server.url })

    // ApplyAppConfig: PATCH /api/latest/fleet/config with the YAML spec's `spec` as the body and
    // ApplySpecOptions.RawQuery() as the query: `dry_run=true` for --dry-run, nothing otherwise.
    const spec = {
      org_info: { org_name: 'Replayed org' },
      server_settings: { enable_analytics: false },
    }
    decodedByGo(
      await send('PATCH', '/api/latest/fleet/config', { body: spec, query: 'dry_run=true' }),
    )
    const unchanged = decodedByGo(await send('GET', '/api/latest/fleet/config'))
    expect(asObject(unchanged.org_info).org_name).toBe(orgName)
    const applied = decodedByGo(await send('PATCH', '/api/latest/fleet/config', { body: spec }))
    expect(asObject(applied.org_info).org_name).toBe('Replayed org')
  })

  it('apply kind: config exported from a Fleet server with MDM and SSO, then get it back', async () => {
    // The spec `fleetctl get config` prints on a Fleet Premium server with MDM (server facts
    // left out, as without --include-server-config), applied as ApplyAppConfig sends it.
    const exported = {
      org_info: {
        org_name: 'Exported org',
        org_logo_url: '',
        contact_url: 'https://fleetdm.com/company/contact',
      },
      server_settings: {
        server_url: rs.server.url,
        enable_analytics: true,
        live_query_disabled: false,
      },
      sso_settings: {
        entity_id: 'fleet',
        idp_name: 'Okta',
        enable_sso: true,
        enable_jit_provisioning: false,
      },
      activity_expiry_settings: { activity_expiry_enabled: false, activity_expiry_window: 0 },
      vulnerability_settings: { databases_path: '/tmp/vulndbs' },
      scripts: null,
      features: {
        enable_host_users: true,
        enable_software_inventory: true,
        additional_queries: null,
      },
      webhook_settings: {
        activities_webhook: { enable_activities_webhook: false, destination_url: '' },
      },
      integrations: { jira: null, zendesk: null, google_calendar: null, ndes_scep_proxy: null },
      // Fleet's defaults (as it marshals them) but for an MDM that is on, with settings.
      mdm: {
        ...defaultMdmSettings(),
        apple_bm_enabled_and_configured: true,
        enabled_and_configured: true,
        enable_disk_encryption: true,
        macos_updates: { minimum_version: '14.1', deadline: '2026-01-15' },
      },
    }
    const applied = decodedByGo(await send('PATCH', '/api/latest/fleet/config', { body: exported }))
    expect(applied.warnings).toEqual(expect.arrayContaining(['mdm.enable_disk_encryption']))
    // GetAppConfig decodes every key Fleet's UI and fleetctl read.
    const config = decodedByGo(await send('GET', '/api/latest/fleet/config'))
    expect(asObject(config.mdm)).toMatchObject({
      enabled_and_configured: false,
      enable_disk_encryption: true,
    })
    expect(asObject(config.sso_settings)).toMatchObject({ idp_name: 'Okta', enable_sso: true })
    expect(asObject(config.license)).toMatchObject({
      tier: 'premium',
      expiration: expect.any(String),
    })
    for (const key of ['activity_expiry_settings', 'vulnerability_settings', 'vulnerabilities']) {
      expect(config).toHaveProperty(key)
    }
    // What `get config` printed applies again as it is.
    const { license: _l, logging: _g, update_interval: _u, vulnerabilities: _v, ...spec } = config
    decodedByGo(await send('PATCH', '/api/latest/fleet/config', { body: spec }))
    expect(decodedByGo(await send('GET', '/api/latest/fleet/config'))).toEqual(config)
  })

  it('get and apply enroll secrets (client_appconfig.go: GetEnrollSecretSpec, ApplyEnrollSecretSpec)', async () => {
    // fleet.EnrollSecret marshals its zero created_at ("0001-01-01T00:00:00Z"); team_id is omitempty.
    const apply = await send('POST', '/api/latest/fleet/spec/enroll_secret', {
      body: {
        spec: { secrets: [{ secret: 'replay-secret', created_at: '0001-01-01T00:00:00Z' }] },
      },
    })
    decodedByGo(apply)
    const got = decodedByGo(await send('GET', '/api/latest/fleet/spec/enroll_secret'))
    const secrets = asList(asObject(got.spec).secrets)
    expect(secrets).toEqual([
      expect.objectContaining({ secret: 'replay-secret', created_at: expect.any(String) }),
    ])
  })

  it('apply, get and delete labels (client_labels.go: ApplyLabels, GetLabels, DeleteLabel)', async () => {
    // ApplyLabels: POST /api/latest/fleet/spec/labels {specs: [fleet.LabelSpec]}: `id` 0,
    // `hosts` null for a dynamic label, `platform` omitted when empty, membership as a string.
    const specs = [
      {
        id: 0,
        name: 'Replay dynamic',
        description: 'from YAML',
        query: 'SELECT 1 FROM os_version',
        label_membership_type: 'dynamic',
        hosts: null,
      },
      {
        id: 0,
        name: 'Replay manual',
        description: '',
        query: '',
        label_membership_type: 'manual',
        hosts: [],
      },
    ]
    decodedByGo(await send('POST', '/api/latest/fleet/spec/labels', { body: { specs } }))

    // GetLabels: GET /api/latest/fleet/spec/labels into getLabelSpecsResponse.specs.
    const listed = asList(decodedByGo(await send('GET', '/api/latest/fleet/spec/labels')).specs)
    expect(listed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'Replay dynamic',
          query: 'SELECT 1 FROM os_version',
          label_membership_type: 'dynamic',
        }),
        expect.objectContaining({ name: 'Replay manual', label_membership_type: 'manual' }),
      ]),
    )
    for (const label of listed) {
      expect(label.id).toEqual(expect.any(Number))
    }

    // DeleteLabel: DELETE /api/latest/fleet/labels/{url.PathEscape(name)} with no body.
    for (const name of ['Replay dynamic', 'Replay manual']) {
      decodedByGo(await send('DELETE', `/api/latest/fleet/labels/${encodeURIComponent(name)}`))
    }
    // `fleetctl delete` prints "doesn't exist" on a 404 (NotFoundErr) and carries on.
    const gone = await send(
      'DELETE',
      `/api/latest/fleet/labels/${encodeURIComponent('Replay manual')}`,
    )
    expect(gone.status).toBe(404)
  })

  // `fleetctl get label NAME` reads GET /api/latest/fleet/spec/labels/{name} into
  // getLabelSpecResponse.specs (one object).
  it('get label NAME (client_labels.go: GetLabel)', async () => {
    const specs = [
      {
        id: 0,
        name: 'Replay one',
        description: '',
        query: 'SELECT 1',
        label_membership_type: 'dynamic',
        hosts: null,
      },
    ]
    decodedByGo(await send('POST', '/api/latest/fleet/spec/labels', { body: { specs } }))
    const got = decodedByGo(
      await send('GET', `/api/latest/fleet/spec/labels/${encodeURIComponent('Replay one')}`),
    )
    expect(asObject(got.specs)).toMatchObject({ name: 'Replay one', query: 'SELECT 1' })
  })

  // ApplyQueries: POST /api/latest/fleet/spec/queries {specs: [fleet.QuerySpec]}, every field
  // marshalled, with its zero value when the YAML leaves it out: team "", platform "",
  // labels_include_any null, and logging "" (Fleet's QuerySpec: "Logging is set to snapshot if not
  // set").
  const querySpec = (name: string, logging: string) => ({
    name,
    description: '',
    query: 'SELECT name FROM os_version',
    team: '',
    interval: 0,
    observer_can_run: false,
    platform: '',
    min_osquery_version: '',
    automations_enabled: false,
    logging,
    discard_data: false,
    labels_include_any: null,
  })

  it('apply, get and delete queries (client_queries.go; fleetctl/get.go getQueriesCommand)', async () => {
    // A YAML spec that sets `logging: snapshot` (the zero value is the skipped case below).
    decodedByGo(
      await send('POST', '/api/latest/fleet/spec/queries', {
        body: {
          specs: [querySpec('Replay query', 'snapshot'), querySpec('Replay other', 'snapshot')],
        },
      }),
    )

    // `get queries`: GetQueries(nil, nil) = GET /api/latest/fleet/queries with no query string,
    // then Me() = GET /api/latest/fleet/me to filter for observers.
    const all = asList(decodedByGo(await send('GET', '/api/latest/fleet/queries')).queries)
    const mine = all.find((q) => q.name === 'Replay query')
    expect(mine).toMatchObject({
      id: expect.any(Number),
      query: 'SELECT name FROM os_version',
      observer_can_run: false,
      interval: 0,
      logging: 'snapshot',
      team_id: null,
    })
    const me = asObject(decodedByGo(await send('GET', '/api/latest/fleet/me')).user)
    expect(me).toMatchObject({ email: ADMIN.email, global_role: 'admin' })

    // `query --query-name X`: GetQueries(teamID, &name) = ?query=<name>; fleetctl then picks the
    // exact name from the list.
    const byName = asList(
      decodedByGo(await send('GET', '/api/latest/fleet/queries', { query: 'query=Replay+query' }))
        .queries,
    )
    expect(byName.map((q) => q.name)).toContain('Replay query')

    // `get query NAME`: GetQuerySpec = GET /api/latest/fleet/spec/queries/{name} → .specs
    const one = decodedByGo(
      await send('GET', `/api/latest/fleet/spec/queries/${encodeURIComponent('Replay query')}`),
    )
    expect(asObject(one.specs)).toMatchObject({
      name: 'Replay query',
      query: 'SELECT name FROM os_version',
    })

    // `delete -f`: DeleteQuery = DELETE /api/latest/fleet/queries/{name}, 404 when absent.
    for (const name of ['Replay query', 'Replay other']) {
      decodedByGo(await send('DELETE', `/api/latest/fleet/queries/${encodeURIComponent(name)}`))
    }
    const gone = await send(
      'DELETE',
      `/api/latest/fleet/queries/${encodeURIComponent('Replay other')}`,
    )
    expect(gone.status).toBe(404)
  })

  // A query YAML without `logging` reaches the server as `"logging": ""` (Go's zero string),
  // which Fleet stores as snapshot.
  it('apply kind: query without logging (client_queries.go: ApplyQueries)', async () => {
    decodedByGo(
      await send('POST', '/api/latest/fleet/spec/queries', {
        body: { specs: [querySpec('Replay bare', '')] },
      }),
    )
    const one = decodedByGo(
      await send('GET', `/api/latest/fleet/spec/queries/${encodeURIComponent('Replay bare')}`),
    )
    expect(asObject(one.specs)).toMatchObject({ name: 'Replay bare', logging: 'snapshot' })
  })

  it('apply kind: policy (client_policies.go: ApplyPolicies, GetPolicies)', async () => {
    // POST /api/latest/fleet/spec/policies {specs: [fleet.PolicySpec]} with empty team/platform.
    const spec = {
      name: 'Replay policy',
      query: 'SELECT 1 FROM os_version',
      description: 'from YAML',
      resolution: 'none',
      team: '',
      platform: '',
      critical: false,
      calendar_events_enabled: false,
    }
    decodedByGo(await send('POST', '/api/latest/fleet/spec/policies', { body: { specs: [spec] } }))
    const policies = asList(decodedByGo(await send('GET', '/api/latest/fleet/policies')).policies)
    expect(policies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Replay policy', id: expect.any(Number), team_id: null }),
      ]),
    )
  })

  it('apply kind: team and get teams (client_teams.go: ApplyTeams, ListTeams, GetTeam)', async () => {
    // ApplyTeams: POST /api/latest/fleet/spec/teams {specs: [raw JSON of the YAML spec.team]},
    // answered with team_ids_by_name.
    const applied = decodedByGo(
      await send('POST', '/api/latest/fleet/spec/teams', {
        body: { specs: [{ name: 'Replay team', secrets: [{ secret: 'replay-team-secret' }] }] },
      }),
    )
    const id = asObject(applied.team_ids_by_name)['Replay team']
    expect(id).toEqual(expect.any(Number))

    // `get teams [--name X]`: GET /api/latest/fleet/teams[?query=X] into listTeamsResponse.teams.
    for (const query of ['', 'query=Replay+team']) {
      const teams = asList(
        decodedByGo(await send('GET', '/api/latest/fleet/teams', { query })).teams,
      )
      expect(teams).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id, name: 'Replay team', host_count: 0, user_count: 0 }),
        ]),
      )
    }
    // `get queries --team ID`: GetTeam = GET /api/latest/fleet/teams/{id}, sending getTeamRequest{}
    // (an empty JSON object) as the body of the GET; then GET /queries?team_id=ID.
    const team = decodedByGo(await send('GET', `/api/latest/fleet/teams/${id}`, { body: {} }))
    expect(asObject(team.team)).toMatchObject({ id, name: 'Replay team' })
    const teamQueries = decodedByGo(
      await send('GET', '/api/latest/fleet/queries', { query: `team_id=${id}` }),
    )
    expect(asList(teamQueries.queries)).toEqual([])
  })
})
