import { FLEET_API } from '@fleet/test-support'
import { fixtureBlock } from './osquery-fixtures.js'
import { asRecord, type TestServer } from './test-server.js'

/**
 * The usual start of a hosts API test: a global enroll secret, and a team with its own secret.
 * Returns the team's id.
 */
export async function secretAndTeam(
  t: TestServer,
  admin: string,
  names: { secret: string; team: string; teamSecret: string },
): Promise<number> {
  await t.request('POST', `${FLEET_API}/spec/enroll_secret`, {
    token: admin,
    body: { spec: { secrets: [{ secret: names.secret }] } },
  })
  const team = await t.request('POST', `${FLEET_API}/teams`, {
    token: admin,
    body: { name: names.team, secrets: [{ secret: names.teamSecret }] },
  })
  return Number(asRecord(team.data().team).id)
}

/** Enrolls host `n` (uuid `UUID-n`) from an osquery fixture; fails on anything but a 200. */
export async function enrollFixtureHost(
  t: TestServer,
  host: { n: number; secret: string; template: 'ubuntu_22.04' | 'windows_11'; hostname?: string },
): Promise<void> {
  const res = await t.request('POST', '/api/osquery/enroll', {
    body: fixtureBlock(host.template, 'enroll', {
      uuid: `UUID-${host.n}`,
      hostname: host.hostname ?? `host-${host.n}`,
      enrollSecret: host.secret,
    }),
  })
  if (res.statusCode !== 200) {
    throw new Error(`enrolling host ${host.n}: ${res.statusCode} ${res.body}`)
  }
}
