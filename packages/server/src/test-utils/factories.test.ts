import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../db/database.js'
import { listSecrets } from '../features/enroll-secrets/enroll-secrets.store.js'
import { findHostByNodeKeyHash } from '../features/hosts/hosts.store.js'
import { findTeam } from '../features/teams/teams.store.js'
import { hashToken } from '../platform/ids.js'
import { createTestDatabase, DIALECTS, type TestDatabase } from './databases.js'
import {
  buildCarve,
  buildEnrollSecret,
  buildHost,
  buildLabel,
  buildPolicy,
  buildQuery,
  buildTeam,
  buildTeamPolicy,
  buildTeamQuery,
  buildUser,
  FACTORY_NOW,
} from './factories.js'

describe.each(DIALECTS)('test factories [%s]', (dialect) => {
  let t: TestDatabase
  let db: Db
  beforeAll(async () => {
    t = await createTestDatabase(dialect)
    db = t.db
  })
  afterAll(() => t.drop())

  it('name records uniquely by default, so two calls never collide', async () => {
    const [a, b] = [await buildTeam(db), await buildTeam(db)]
    expect(a.name).not.toBe(b.name)
    const [u, v] = [await buildUser(db), await buildUser(db)]
    expect(u.email).not.toBe(v.email)
    const [h, k] = [await buildHost(db), await buildHost(db)]
    expect([h.hostname, h.uuid]).not.toEqual([k.hostname, k.uuid])
    expect((await buildLabel(db)).name).not.toBe((await buildLabel(db)).name)
    expect((await buildQuery(db)).name).not.toBe((await buildQuery(db)).name)
    expect((await buildPolicy(db)).name).not.toBe((await buildPolicy(db)).name)
  })

  it('take overrides for any field', async () => {
    const team = await buildTeam(db, { name: 'Overridden', description: 'd' })
    expect(team).toMatchObject({ name: 'Overridden', description: 'd', createdAt: FACTORY_NOW })
    const user = await buildUser(db, { globalRole: 'admin', apiOnly: true })
    expect(user).toMatchObject({ globalRole: 'admin', apiOnly: true, teams: [] })
    const label = await buildLabel(db, { membershipType: 'manual', platform: 'darwin' })
    expect(label).toMatchObject({ membershipType: 'manual', platform: 'darwin' })
    const query = await buildQuery(db, { interval: 60, logging: 'differential' })
    expect(query).toMatchObject({ interval: 60, logging: 'differential', teamId: null })
    const policy = await buildPolicy(db, { critical: true, query: 'SELECT 2' })
    expect(policy).toMatchObject({ critical: true, query: 'SELECT 2', teamId: null })
  })

  it('create what a record depends on unless given it', async () => {
    const policy = await buildTeamPolicy(db)
    expect(policy.teamId).toEqual(expect.any(Number))
    expect(await findTeam(db, policy.teamId ?? 0)).toBeDefined()
    const query = await buildTeamQuery(db)
    expect(query.teamId).not.toBe(policy.teamId)
    const team = await buildTeam(db)
    expect((await buildTeamPolicy(db, { teamId: team.id })).teamId).toBe(team.id)
    expect((await buildTeamQuery(db, { teamId: team.id })).teamId).toBe(team.id)
    const carve = await buildCarve(db)
    expect((await buildHost(db)).id).not.toBe(carve.hostId)
  })

  it('build a host its node key finds, a team member, and secrets added to those there', async () => {
    const team = await buildTeam(db)
    const host = await buildHost(db, { teamId: team.id })
    expect((await findHostByNodeKeyHash(db, hashToken(host.nodeKey)))?.id).toBe(host.id)
    expect(host.teamId).toBe(team.id)
    const member = await buildUser(db, { teams: [{ id: team.id, role: 'maintainer' }] })
    expect(member.globalRole).toBeNull()
    expect(member.teams).toMatchObject([{ teamId: team.id, role: 'maintainer' }])
    const first = await buildEnrollSecret(db, { teamId: team.id })
    const second = await buildEnrollSecret(db, { teamId: team.id })
    const secrets = (await listSecrets(db, team.id)).map((s) => s.secret)
    expect(secrets.sort()).toEqual([first.secret, second.secret].sort())
  })
})
