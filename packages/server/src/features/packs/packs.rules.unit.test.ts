import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { createAuthorizer, type Subject } from '../../platform/authz/index.js'
import { packRules } from './packs.rules.js'

const { can } = createAuthorizer(packRules)
const ROLES: Role[] = ['observer', 'observer_plus', 'maintainer', 'admin', 'gitops']
const global = (role: Role): Subject => ({ userId: 1, globalRole: role, teamRoles: new Map() })
const onTeam = (role: Role): Subject => ({
  userId: 2,
  globalRole: null,
  teamRoles: new Map([[7, role]]),
})

describe("packs follow Fleet's policy.rego (2017 packs)", () => {
  it.each(ROLES)('global %s: admins, maintainers and gitops read and write', (role) => {
    const allowed = ['admin', 'maintainer', 'gitops'].includes(role)
    expect(can(global(role), 'read', { type: 'pack' })).toBe(allowed)
    expect(can(global(role), 'write', { type: 'pack' })).toBe(allowed)
  })

  it.each(ROLES)('team %s: no access', (role) => {
    expect(can(onTeam(role), 'read', { type: 'pack' })).toBe(false)
    expect(can(onTeam(role), 'write', { type: 'pack' })).toBe(false)
  })
})
