import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { createAuthorizer } from '../../platform/authz/index.js'
import { activityRules } from './activities.rules.js'

const { can } = createAuthorizer(activityRules)
const ROLES: Role[] = ['observer', 'observer_plus', 'maintainer', 'admin', 'gitops']
const global = (role: Role) => ({ userId: 1, globalRole: role, teamRoles: new Map() })

describe("activity log follows Fleet's permission matrix", () => {
  it.each(ROLES)('view activity: %s', (role) => {
    expect(can(global(role), 'read', { type: 'activity' })).toBe(role !== 'gitops')
  })
})
