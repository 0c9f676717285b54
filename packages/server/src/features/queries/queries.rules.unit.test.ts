import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { createAuthorizer, type Subject } from '../../platform/authz/index.js'
import { queryRules } from './queries.rules.js'

const { can } = createAuthorizer(queryRules)
const ROLES: Role[] = ['observer', 'observer_plus', 'maintainer', 'admin', 'gitops']
const global = (role: Role): Subject => ({ userId: 1, globalRole: role, teamRoles: new Map() })
const onTeam = (teamId: number, role: Role): Subject => ({
  userId: 2,
  globalRole: null,
  teamRoles: new Map([[teamId, role]]),
})
const query = (teamId: number | null) => ({ type: 'query', teamId }) as const

describe("queries follow Fleet's permission matrix", () => {
  it.each(ROLES)('global %s reads every query; admins, maintainers, gitops write', (role) => {
    const writer = ['admin', 'maintainer', 'gitops'].includes(role)
    expect(can(global(role), 'read', query(null))).toBe(true)
    expect(can(global(role), 'read', query(7))).toBe(true)
    expect(can(global(role), 'write', query(null))).toBe(writer)
    expect(can(global(role), 'delete', query(7))).toBe(writer)
    expect(can(global(role), 'assign_role', query(7))).toBe(false)
  })

  it.each(ROLES)("team %s: its team's queries, and the global ones but for gitops", (role) => {
    const writer = ['admin', 'maintainer', 'gitops'].includes(role)
    expect(can(onTeam(7, role), 'read', query(7))).toBe(true)
    expect(can(onTeam(7, role), 'read', query(8))).toBe(false)
    expect(can(onTeam(7, role), 'read', query(null))).toBe(role !== 'gitops')
    expect(can(onTeam(7, role), 'write', query(7))).toBe(writer)
    expect(can(onTeam(7, role), 'write', query(8))).toBe(false)
    expect(can(onTeam(7, role), 'write', query(null))).toBe(false)
  })
})
