import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { createAuthorizer, type Subject } from '../../platform/authz/index.js'
import { abmRules } from './mdm-abm.rules.js'

const { can } = createAuthorizer(abmRules)
const ROLES: Role[] = ['observer', 'observer_plus', 'maintainer', 'admin', 'gitops']
const global = (role: Role): Subject => ({ userId: 1, globalRole: role, teamRoles: new Map() })

describe('ABM tokens are for global admins only', () => {
  it.each(ROLES)('%s', (role) => {
    for (const action of ['read', 'list', 'write', 'create', 'delete'] as const) {
      expect(can(global(role), action, { type: 'abm_token' })).toBe(role === 'admin')
    }
  })

  it('team admins may not', () => {
    const teamAdmin: Subject = { userId: 2, globalRole: null, teamRoles: new Map([[1, 'admin']]) }
    expect(can(teamAdmin, 'read', { type: 'abm_token' })).toBe(false)
  })
})
