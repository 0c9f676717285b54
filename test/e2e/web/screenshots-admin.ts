// The admin pages' part of `npm run screenshots`: labels, teams, users, enroll secrets, a policy
// being edited and the account page, with enough data to show what each page is for.

type Api = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
) => Promise<Record<string, unknown>>

/** Creates labels, a team member and a team secret through the API, then shoots each page. */
export async function shootAdminPages(
  api: Api,
  shoot: (path: string, name: string) => Promise<void>,
): Promise<void> {
  const hosts = (await api('GET', '/api/latest/fleet/hosts')).hosts as { id: number }[]
  await api('POST', '/api/latest/fleet/labels', {
    name: 'Ubuntu servers',
    description: 'Every Ubuntu host',
    query: "SELECT 1 FROM os_version WHERE platform = 'ubuntu'",
    platform: 'linux',
  })
  const pilot = (
    await api('POST', '/api/latest/fleet/labels', {
      name: 'Pilot group',
      description: 'Hosts trying new settings first',
      label_membership_type: 'manual',
      host_ids: hosts.slice(0, 3).map((h) => h.id),
    })
  ).label as { id: number }
  const teams = (await api('GET', '/api/latest/fleet/teams')).teams as { id: number }[]
  const team = teams[0]?.id ?? 1
  await api('POST', '/api/latest/fleet/users/admin', {
    name: 'Robin Ops',
    email: 'robin@example.com',
    password: 'screenshots-robin-1!',
    teams: [{ id: team, role: 'admin' }],
  })
  await api('POST', '/api/latest/fleet/users/admin', {
    name: 'Sam Viewer',
    email: 'sam@example.com',
    password: 'screenshots-sam-1!',
    global_role: 'observer',
  })
  await api('PATCH', `/api/latest/fleet/teams/${team}/secrets`, {
    secrets: [{ secret: 'workstations-enroll-secret' }],
  })
  const policies = (await api('GET', '/api/latest/fleet/policies')).policies as { id: number }[]
  await shoot('/labels/manage', 'labels')
  await shoot(`/labels/${pilot.id}`, 'label-manual')
  await shoot('/settings/teams', 'teams')
  await shoot(`/settings/teams/users?team_id=${team}`, 'team')
  await shoot('/settings/users', 'users')
  await shoot('/settings/enroll-secrets', 'enroll-secrets')
  await shoot(`/policies/${policies[0]?.id ?? 1}`, 'policy-edit')
  await shoot('/account', 'account')
}
