import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { createAuthorizer, type Subject } from '../../platform/authz/index.js'
import { secretVariableRules } from './secret-variables.rules.js'

const { can } = createAuthorizer(secretVariableRules)
const global = (role: Role): Subject => ({ userId: 1, globalRole: role, teamRoles: new Map() })
const onTeam = (role: Role): Subject => ({
  userId: 2,
  globalRole: null,
  teamRoles: new Map([[1, role]]),
})
const secret = { type: 'secret_variable' as const }

describe('secret variables authorization', () => {
  it.each<[Role, boolean]>([
    ['admin', true],
    ['gitops', true],
    ['maintainer', false],
    ['observer', false],
    ['observer_plus', false],
  ])('global %s writes: %s; nobody reads', (role, write) => {
    expect(can(global(role), 'write', secret)).toBe(write)
    expect(can(global(role), 'read', secret)).toBe(false)
  })

  it('team roles write nothing, even team admins and gitops', () => {
    for (const role of ['admin', 'gitops'] as const) {
      expect(can(onTeam(role), 'write', secret)).toBe(false)
    }
  })
})
