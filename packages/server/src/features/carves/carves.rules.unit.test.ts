import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { createAuthorizer, type Subject } from '../../platform/authz/index.js'
import { carveRules } from './carves.rules.js'

const { can } = createAuthorizer(carveRules)
const ROLES: Role[] = ['observer', 'observer_plus', 'maintainer', 'admin', 'gitops']
const global = (role: Role): Subject => ({ userId: 1, globalRole: role, teamRoles: new Map() })

describe('file carves', () => {
  it.each(ROLES)('global %s: metadata for maintainers and admins, contents for admins', (role) => {
    expect(can(global(role), 'list', { type: 'carve' })).toBe(
      ['admin', 'maintainer'].includes(role),
    )
    expect(can(global(role), 'write', { type: 'carve' })).toBe(false)
    expect(can(global(role), 'read', { type: 'carve_contents' })).toBe(role === 'admin')
  })

  it('team users see no carves', () => {
    const teamAdmin: Subject = { userId: 2, globalRole: null, teamRoles: new Map([[7, 'admin']]) }
    expect(can(teamAdmin, 'read', { type: 'carve' })).toBe(false)
  })
})
