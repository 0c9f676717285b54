import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { createAuthorizer, type Action, type Subject } from '../../platform/authz/index.js'
import { teamRules } from './teams.rules.js'

const { can } = createAuthorizer(teamRules)
const ROLES: Role[] = ['observer', 'observer_plus', 'maintainer', 'admin', 'gitops']
const global = (role: Role): Subject => ({ userId: 1, globalRole: role, teamRoles: new Map() })
const onTeam = (teamId: number, role: Role): Subject => ({
  userId: 2,
  globalRole: null,
  teamRoles: new Map([[teamId, role]]),
})

/** Which global roles may do it, per Fleet's manage-access matrix. */
const MATRIX: [string, { type: 'team'; teamId?: number }, Action, Role[]][] = [
  ['create teams', { type: 'team' }, 'create', ['admin', 'gitops']],
  ['edit teams', { type: 'team', teamId: 7 }, 'write', ['admin', 'gitops']],
  ['delete teams', { type: 'team', teamId: 7 }, 'delete', ['admin', 'gitops']],
]

describe("teams follow Fleet's permission matrix", () => {
  for (const [what, resource, action, allowed] of MATRIX) {
    it.each(ROLES)(`${what}: %s`, (role) => {
      expect(can(global(role), action, resource)).toBe(allowed.includes(role))
    })
  }

  it('team roles see only their own team', () => {
    expect(can(onTeam(7, 'observer'), 'read', { type: 'team', teamId: 7 })).toBe(true)
    expect(can(onTeam(7, 'observer'), 'read', { type: 'team', teamId: 8 })).toBe(false)
  })

  it('team admins edit their team, but create none', () => {
    expect(can(onTeam(7, 'admin'), 'write', { type: 'team', teamId: 7 })).toBe(true)
    expect(can(onTeam(7, 'maintainer'), 'write', { type: 'team', teamId: 7 })).toBe(false)
    expect(can(onTeam(7, 'admin'), 'create', { type: 'team' })).toBe(false)
  })
})
