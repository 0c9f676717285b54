import type { Role } from '@fleet/api'
import type { Db } from '../db/database.js'
import type { Carve } from '../features/carves/carve.js'
import { findCarve, insertCarve } from '../features/carves/carves.store.js'
import type { EnrollSecret } from '../features/enroll-secrets/enroll-secret.js'
import { listSecrets, replaceSecrets } from '../features/enroll-secrets/enroll-secrets.store.js'
import type { Host, HostVitals } from '../features/hosts/host.js'
import { findHost, insertHost } from '../features/hosts/hosts.store.js'
import type { Label } from '../features/labels/label.js'
import { findLabel, insertLabel } from '../features/labels/labels.store.js'
import type { Policy, PolicyInput } from '../features/policies/policy.js'
import { findPolicy, insertPolicy } from '../features/policies/policies.store.js'
import type { QueryChanges, SavedQuery } from '../features/queries/query.js'
import { findQuery, insertQuery } from '../features/queries/queries.store.js'
import { defaultTeamSettings, type Team, type TeamSettings } from '../features/teams/team.js'
import { findTeam, insertTeam } from '../features/teams/teams.store.js'
import type { User } from '../features/users/user.js'
import { findUser, insertUser, setUserTeams } from '../features/users/users.store.js'
import type { AgentOptions } from '@fleet/api'
import { hashToken } from '../platform/ids.js'

// Factories for the main records. Each goes through its feature's store (so it stays true to the
// schema), creates what the record depends on unless given it, names it uniquely unless told a
// name, and returns the record as the store reads it back. Overrides set any field.

/** When the factories stamp records unless told `now`: 2030-01-01T00:00:00Z. */
export const FACTORY_NOW = Date.parse('2030-01-01T00:00:00Z')

let sequence = 0

/** A name no other factory call in this test process gave: `<prefix> <n>`. */
export function uniqueName(prefix: string): string {
  sequence += 1
  return `${prefix} ${sequence}`
}

function found<T>(what: string, id: number, record: T | undefined): T {
  if (record === undefined) {
    throw new Error(`factory: the ${what} just inserted (id ${id}) cannot be read back`)
  }
  return record
}

/** A team with default settings and the global agent options. */
export async function buildTeam(
  db: Db,
  overrides: Partial<{
    name: string
    description: string
    settings: TeamSettings
    agentOptions: AgentOptions | null
    now: number
  }> = {},
): Promise<Team> {
  const name = overrides.name ?? uniqueName('Team')
  const id = await insertTeam(db, {
    name,
    description: overrides.description ?? `${name} description`,
    settings: overrides.settings ?? defaultTeamSettings(),
    agentOptions: overrides.agentOptions ?? null,
    now: overrides.now ?? FACTORY_NOW,
  })
  return found('team', id, await findTeam(db, id))
}

/**
 * A user (by default a global observer with an unusable password hash: log in through the API's
 * users instead). `teams` gives team roles, which take the place of the global role.
 */
export async function buildUser(
  db: Db,
  overrides: Partial<{
    name: string
    email: string
    passwordHash: string
    globalRole: Role | null
    apiOnly: boolean
    forcePasswordReset: boolean
    ssoEnabled: boolean
    teams: readonly { id: number; role: Role }[]
    now: number
  }> = {},
): Promise<User> {
  const name = overrides.name ?? uniqueName('User')
  const teams = overrides.teams ?? []
  const id = await insertUser(db, {
    name,
    email: overrides.email ?? `${name.toLowerCase().replace(/\W+/g, '-')}@example.com`,
    passwordHash: overrides.passwordHash ?? 'factory-no-login',
    globalRole:
      overrides.globalRole !== undefined
        ? overrides.globalRole
        : teams.length > 0
          ? null
          : 'observer',
    apiOnly: overrides.apiOnly ?? false,
    forcePasswordReset: overrides.forcePasswordReset ?? false,
    ssoEnabled: overrides.ssoEnabled ?? false,
    now: overrides.now ?? FACTORY_NOW,
  })
  if (teams.length > 0) {
    await setUserTeams(db, id, teams)
  }
  return found('user', id, await findUser(db, id))
}

/** A host enrolled with a unique uuid, hostname and node key (`nodeKey` is returned too). */
export async function buildHost(
  db: Db,
  overrides: Partial<{
    teamId: number | null
    nodeKey: string
    vitals: HostVitals
    now: number
  }> = {},
): Promise<Host & { nodeKey: string }> {
  const name = uniqueName('host').replace(' ', '-')
  const nodeKey = overrides.nodeKey ?? `node-key-${name}`
  const id = await insertHost(db, {
    teamId: overrides.teamId ?? null,
    nodeKeyHash: hashToken(nodeKey),
    osqueryHostId: `osquery-${name}`,
    publicIp: '',
    vitals: { hostname: name, uuid: `uuid-${name}`, platform: 'ubuntu', ...overrides.vitals },
    now: overrides.now ?? FACTORY_NOW,
  })
  return { ...found('host', id, await findHost(db, id)), nodeKey }
}

/** A regular dynamic label for every platform. */
export async function buildLabel(
  db: Db,
  overrides: Partial<Omit<Label, 'id' | 'createdAt' | 'updatedAt'>> & { now?: number } = {},
): Promise<Label> {
  const { now = FACTORY_NOW, ...fields } = overrides
  const id = await insertLabel(
    db,
    {
      name: uniqueName('Label'),
      description: '',
      query: 'SELECT 1',
      platform: '',
      labelType: 'regular',
      membershipType: 'dynamic',
      ...fields,
    },
    now,
  )
  return found('label', id, await findLabel(db, id))
}

type Authored = { teamId: number | null; authorId: number | null; now: number }

/** A global saved query, unscheduled; `teamId` makes it a team's. */
export async function buildQuery(
  db: Db,
  overrides: Partial<QueryChanges & Authored> = {},
): Promise<SavedQuery> {
  const { teamId = null, authorId = null, now = FACTORY_NOW, ...fields } = overrides
  const id = await insertQuery(
    db,
    {
      name: uniqueName('Query'),
      description: '',
      query: 'SELECT 1',
      observerCanRun: false,
      interval: 0,
      platform: '',
      minOsqueryVersion: '',
      automationsEnabled: false,
      logging: 'snapshot',
      discardData: false,
      ...fields,
      teamId,
      authorId,
    },
    now,
  )
  return found('query', id, await findQuery(db, id))
}

/** A team's saved query: builds the team unless given `teamId`. */
export async function buildTeamQuery(
  db: Db,
  overrides: Partial<QueryChanges & Authored> & { teamId?: number } = {},
): Promise<SavedQuery> {
  return buildQuery(db, { ...overrides, teamId: overrides.teamId ?? (await buildTeam(db)).id })
}

/** A global policy for every platform; `teamId` makes it a team's. */
export async function buildPolicy(
  db: Db,
  overrides: Partial<PolicyInput & Authored> = {},
): Promise<Policy> {
  const { teamId = null, authorId = null, now = FACTORY_NOW, ...fields } = overrides
  const id = await insertPolicy(
    db,
    {
      name: uniqueName('Policy'),
      query: 'SELECT 1',
      description: '',
      resolution: '',
      platform: '',
      critical: false,
      ...fields,
      teamId,
      authorId,
    },
    now,
  )
  return found('policy', id, await findPolicy(db, id))
}

/** A team's policy: builds the team unless given `teamId`. */
export async function buildTeamPolicy(
  db: Db,
  overrides: Partial<PolicyInput & Authored> & { teamId?: number } = {},
): Promise<Policy> {
  return buildPolicy(db, { ...overrides, teamId: overrides.teamId ?? (await buildTeam(db)).id })
}

/** One more enroll secret for a team (`teamId`) or, by default, for hosts with no team. */
export async function buildEnrollSecret(
  db: Db,
  overrides: Partial<{ secret: string; teamId: number | null; now: number }> = {},
): Promise<EnrollSecret> {
  const teamId = overrides.teamId ?? null
  const secret = overrides.secret ?? uniqueName('secret').replace(' ', '-')
  const existing = (await listSecrets(db, teamId)).map((s) => s.secret)
  await replaceSecrets(db, teamId, [...existing, secret], overrides.now ?? FACTORY_NOW)
  const stored = (await listSecrets(db, teamId)).find((s) => s.secret === secret)
  if (stored === undefined) {
    throw new Error(`factory: enroll secret ${secret} cannot be read back`)
  }
  return stored
}

/** A file carve of one 1-byte block, on a host it builds unless given `hostId`. */
export async function buildCarve(
  db: Db,
  overrides: Partial<Omit<Carve, 'id' | 'maxBlock' | 'error'>> = {},
): Promise<Carve> {
  const name = uniqueName('carve').replace(' ', '-')
  const id = await insertCarve(db, {
    createdAt: FACTORY_NOW,
    name,
    blockCount: 1,
    blockSize: 1,
    carveSize: 1,
    carveId: `carve-id-${name}`,
    requestId: `request-${name}`,
    sessionId: `session-${name}`,
    ...overrides,
    hostId: overrides.hostId ?? (await buildHost(db)).id,
  })
  return found('carve', id, await findCarve(db, id))
}
