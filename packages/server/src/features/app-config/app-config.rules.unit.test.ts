import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { createAuthorizer, type Action, type Resource } from '../../platform/authz/index.js'
import { appConfigRules } from './app-config.rules.js'

const { can } = createAuthorizer(appConfigRules)
const ROLES: Role[] = ['observer', 'observer_plus', 'maintainer', 'admin', 'gitops']
const global = (role: Role) => ({ userId: 1, globalRole: role, teamRoles: new Map() })

/** Which global roles may do it, per Fleet's manage-access matrix. */
const MATRIX: [string, Resource, Action, Role[]][] = [
  [
    'read org settings',
    { type: 'app_config' },
    'read',
    ['observer', 'observer_plus', 'maintainer', 'admin', 'gitops'],
  ],
  ['edit org settings', { type: 'app_config' }, 'write', ['admin', 'gitops']],
  ['read SMTP/SSO settings and agent options', { type: 'app_config_secrets' }, 'read', ['admin']],
  ['read the version', { type: 'version' }, 'read', ROLES],
]

describe("org settings follow Fleet's permission matrix", () => {
  for (const [what, resource, action, allowed] of MATRIX) {
    it.each(ROLES)(`${what}: %s`, (role) => {
      expect(can(global(role), action, resource)).toBe(allowed.includes(role))
    })
  }

  it('team users read the org settings but not its secrets', () => {
    const teamUser = { userId: 2, globalRole: null, teamRoles: new Map([[7, 'observer' as const]]) }
    expect(can(teamUser, 'read', { type: 'app_config' })).toBe(true)
    expect(can(teamUser, 'write', { type: 'app_config' })).toBe(false)
    expect(can(teamUser, 'read', { type: 'app_config_secrets' })).toBe(false)
  })
})
