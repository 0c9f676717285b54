import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { createAuthorizer, type Subject } from '../../platform/authz/index.js'
import { mdmSetupRules } from './mdm-setup.rules.js'

const { can } = createAuthorizer(mdmSetupRules)
const ROLES: Role[] = ['observer', 'observer_plus', 'maintainer', 'admin', 'gitops']
const global = (role: Role): Subject => ({ userId: 1, globalRole: role, teamRoles: new Map() })

describe('Apple MDM set-up is for global admins only', () => {
  it.each(ROLES)('%s', (role) => {
    for (const action of ['read', 'write'] as const) {
      expect(can(global(role), action, { type: 'apple_mdm_setup' })).toBe(role === 'admin')
    }
  })

  it('team admins may not', () => {
    const teamAdmin: Subject = { userId: 2, globalRole: null, teamRoles: new Map([[1, 'admin']]) }
    expect(can(teamAdmin, 'write', { type: 'apple_mdm_setup' })).toBe(false)
  })
})
