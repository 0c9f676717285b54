import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { createAuthorizer, type Subject } from '../../platform/authz/index.js'
import { liveQueryRules } from './live-queries.rules.js'

const { can } = createAuthorizer(liveQueryRules)
const global = (role: Role): Subject => ({ userId: 1, globalRole: role, teamRoles: new Map() })
const onTeams = (roles: [number, Role][]): Subject => ({
  userId: 2,
  globalRole: null,
  teamRoles: new Map(roles),
})

describe('who may run live queries (Fleet manage-access)', () => {
  const adHoc = { type: 'live_query', observerCanRun: false } as const
  const observerQuery = { type: 'live_query', observerCanRun: true } as const

  it.each<[Role, boolean, boolean]>([
    ['admin', true, true],
    ['maintainer', true, true],
    ['observer_plus', true, true],
    ['observer', false, true],
    ['gitops', false, false],
  ])('global %s: any query %s, observer_can_run queries %s', (role, any, observers) => {
    expect(can(global(role), 'create', adHoc)).toBe(any)
    expect(can(global(role), 'create', observerQuery)).toBe(observers)
    expect(can(global(role), 'read', adHoc)).toBe(false)
  })

  it('team users: their role on every selected team, else on any team', () => {
    const user = onTeams([
      [1, 'maintainer'],
      [2, 'observer'],
    ])
    expect(can(user, 'create', adHoc)).toBe(true)
    expect(can(user, 'create', { ...adHoc, targetTeamIds: [1] })).toBe(true)
    expect(can(user, 'create', { ...adHoc, targetTeamIds: [1, 2] })).toBe(false)
    expect(can(user, 'create', { ...observerQuery, targetTeamIds: [1, 2] })).toBe(true)
    expect(can(user, 'create', { ...observerQuery, targetTeamIds: [0] })).toBe(false)
    expect(can(onTeams([[2, 'observer']]), 'create', adHoc)).toBe(false)
  })

  it("team users run global queries and their teams' saved queries only", () => {
    const user = onTeams([
      [1, 'maintainer'],
      [2, 'observer'],
    ])
    expect(can(user, 'create', { ...adHoc, queryTeamId: null })).toBe(true)
    expect(can(user, 'create', { ...adHoc, queryTeamId: 1 })).toBe(true)
    expect(can(user, 'create', { ...adHoc, queryTeamId: 2 })).toBe(false)
    expect(can(user, 'create', { ...observerQuery, queryTeamId: 2 })).toBe(true)
    expect(can(user, 'create', { ...observerQuery, queryTeamId: 3 })).toBe(false)
    expect(can(user, 'create', { ...observerQuery, queryTeamId: 3, targetTeamIds: [1] })).toBe(
      false,
    )
    expect(can(global('observer_plus'), 'create', { ...adHoc, queryTeamId: 3 })).toBe(true)
  })
})
