import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { createAuthorizer, type Subject } from '../../platform/authz/index.js'
import { labelRules } from './labels.rules.js'

const { can } = createAuthorizer(labelRules)
const ROLES: Role[] = ['observer', 'observer_plus', 'maintainer', 'admin', 'gitops']
const global = (role: Role): Subject => ({ userId: 1, globalRole: role, teamRoles: new Map() })
const onTeam = (role: Role): Subject => ({
  userId: 2,
  globalRole: null,
  teamRoles: new Map([[7, role]]),
})

describe("labels follow Fleet's permission matrix", () => {
  it.each(ROLES)('global %s reads labels; admins, maintainers and gitops write', (role) => {
    expect(can(global(role), 'read', { type: 'label' })).toBe(true)
    expect(can(global(role), 'write', { type: 'label' })).toBe(
      ['admin', 'maintainer', 'gitops'].includes(role),
    )
  })

  it.each(ROLES)('team %s reads labels and writes none', (role) => {
    expect(can(onTeam(role), 'list', { type: 'label' })).toBe(true)
    expect(can(onTeam(role), 'write', { type: 'label' })).toBe(false)
  })
})
