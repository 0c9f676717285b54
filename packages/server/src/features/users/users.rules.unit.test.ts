import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { createAuthorizer, type Action, type Subject } from '../../platform/authz/index.js'
import { userRules } from './users.rules.js'

const { can } = createAuthorizer(userRules)
const ROLES: Role[] = ['observer', 'observer_plus', 'maintainer', 'admin', 'gitops']
const global = (role: Role): Subject => ({ userId: 1, globalRole: role, teamRoles: new Map() })
const onTeam = (teamId: number, role: Role): Subject => ({
  userId: 2,
  globalRole: null,
  teamRoles: new Map([[teamId, role]]),
})
type UserResource = {
  type: 'user'
  userId?: number
  globalRole: Role | null
  teamIds: readonly number[]
}

/** Which global roles may do it, per Fleet's manage-access matrix. */
const MATRIX: [string, UserResource, Action, Role[]][] = [
  ['create users', { type: 'user', globalRole: 'observer', teamIds: [] }, 'create', ['admin']],
  ['list users', { type: 'user', globalRole: null, teamIds: [] }, 'list', ['admin']],
  [
    'edit another user',
    { type: 'user', userId: 99, globalRole: 'observer', teamIds: [] },
    'write',
    ['admin'],
  ],
  [
    'assign roles',
    { type: 'user', userId: 99, globalRole: 'admin', teamIds: [] },
    'assign_role',
    ['admin'],
  ],
]

describe("users follow Fleet's permission matrix", () => {
  for (const [what, resource, action, allowed] of MATRIX) {
    it.each(ROLES)(`${what}: %s`, (role) => {
      expect(can(global(role), action, resource)).toBe(allowed.includes(role))
    })
  }

  it('team admins create users only inside their teams and never global ones', () => {
    expect(
      can(onTeam(7, 'admin'), 'create', { type: 'user', globalRole: null, teamIds: [7] }),
    ).toBe(true)
    expect(
      can(onTeam(7, 'admin'), 'create', { type: 'user', globalRole: null, teamIds: [7, 8] }),
    ).toBe(false)
    expect(
      can(onTeam(7, 'admin'), 'create', { type: 'user', globalRole: 'observer', teamIds: [] }),
    ).toBe(false)
    expect(
      can(onTeam(7, 'observer'), 'create', { type: 'user', globalRole: null, teamIds: [7] }),
    ).toBe(false)
  })

  it('nobody but a global admin changes their own roles', () => {
    const self = onTeam(7, 'observer')
    expect(
      can(self, 'write', { type: 'user', userId: self.userId, globalRole: null, teamIds: [7] }),
    ).toBe(true)
    expect(
      can(self, 'assign_role', {
        type: 'user',
        userId: self.userId,
        globalRole: 'admin',
        teamIds: [7],
      }),
    ).toBe(false)
    expect(
      can(global('maintainer'), 'assign_role', {
        type: 'user',
        userId: 1,
        globalRole: 'admin',
        teamIds: [],
      }),
    ).toBe(false)
  })

  it('only the user themself or a global admin changes email and password', () => {
    const credentials = { type: 'user_credentials', userId: 99 } as const
    for (const role of ROLES) {
      expect(can(global(role), 'write', credentials)).toBe(role === 'admin')
    }
    expect(can(onTeam(7, 'admin'), 'write', credentials)).toBe(false)
    expect(can({ ...onTeam(7, 'observer'), userId: 99 }, 'write', credentials)).toBe(true)
    expect(can(global('admin'), 'read', credentials)).toBe(false)
  })
})
