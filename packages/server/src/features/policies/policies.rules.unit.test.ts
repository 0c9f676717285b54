import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { createAuthorizer, type Subject } from '../../platform/authz/index.js'
import { policyRules } from './policies.rules.js'

const { can } = createAuthorizer(policyRules)
const ROLES: Role[] = ['observer', 'observer_plus', 'maintainer', 'admin', 'gitops']
const global = (role: Role): Subject => ({ userId: 1, globalRole: role, teamRoles: new Map() })
const onTeam = (teamId: number, role: Role): Subject => ({
  userId: 2,
  globalRole: null,
  teamRoles: new Map([[teamId, role]]),
})
const policy = (teamId: number | null) => ({ type: 'policy', teamId }) as const

describe("policies follow Fleet's permission matrix", () => {
  it.each(ROLES)('global %s reads every policy; admins, maintainers, gitops write', (role) => {
    const writer = ['admin', 'maintainer', 'gitops'].includes(role)
    expect(can(global(role), 'read', policy(null))).toBe(true)
    expect(can(global(role), 'read', policy(7))).toBe(true)
    expect(can(global(role), 'write', policy(null))).toBe(writer)
    expect(can(global(role), 'delete', policy(7))).toBe(writer)
    expect(can(global(role), 'assign_role', policy(7))).toBe(false)
  })

  it.each(ROLES)("team %s: its team's policies, and the global ones but for gitops", (role) => {
    const writer = ['admin', 'maintainer', 'gitops'].includes(role)
    expect(can(onTeam(7, role), 'read', policy(7))).toBe(true)
    expect(can(onTeam(7, role), 'read', policy(8))).toBe(false)
    expect(can(onTeam(7, role), 'read', policy(null))).toBe(role !== 'gitops')
    expect(can(onTeam(7, role), 'write', policy(7))).toBe(writer)
    expect(can(onTeam(7, role), 'write', policy(8))).toBe(false)
    expect(can(onTeam(7, role), 'write', policy(null))).toBe(false)
  })
})
