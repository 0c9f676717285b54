import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { can, type Action, type Resource } from './policy.js'
import type { Subject } from './subject.js'

const global = (role: Role): Subject => ({ userId: 1, globalRole: role, teamRoles: new Map() })
const onTeam = (teamId: number, role: Role): Subject => ({
  userId: 2,
  globalRole: null,
  teamRoles: new Map([[teamId, role]]),
})

const ROLES: Role[] = ['observer', 'observer_plus', 'maintainer', 'admin', 'gitops']

/** Which global roles may do it, per Fleet's manage-access matrix. */
const GLOBAL_MATRIX: [string, Resource, Action, Role[]][] = [
  [
    'read org settings',
    { type: 'app_config' },
    'read',
    ['observer', 'observer_plus', 'maintainer', 'admin', 'gitops'],
  ],
  ['edit org settings', { type: 'app_config' }, 'write', ['admin', 'gitops']],
  ['read SMTP/SSO settings and agent options', { type: 'app_config_secrets' }, 'read', ['admin']],
  [
    'view activity',
    { type: 'activity' },
    'read',
    ['observer', 'observer_plus', 'maintainer', 'admin'],
  ],
  ['create teams', { type: 'team' }, 'create', ['admin', 'gitops']],
  ['edit teams', { type: 'team', teamId: 7 }, 'write', ['admin', 'gitops']],
  ['delete teams', { type: 'team', teamId: 7 }, 'delete', ['admin', 'gitops']],
  [
    'write global enroll secrets',
    { type: 'enroll_secret', teamId: null },
    'write',
    ['maintainer', 'admin', 'gitops'],
  ],
  [
    'read global enroll secrets',
    { type: 'enroll_secret', teamId: null },
    'read',
    ['maintainer', 'admin'],
  ],
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

describe("global roles follow Fleet's permission matrix", () => {
  for (const [what, resource, action, allowed] of GLOBAL_MATRIX) {
    it.each(ROLES)(`${what}: %s`, (role) => {
      expect(can(global(role), action, resource)).toBe(allowed.includes(role))
    })
  }
})

describe('team roles', () => {
  it('see only their own team', () => {
    expect(can(onTeam(7, 'observer'), 'read', { type: 'team', teamId: 7 })).toBe(true)
    expect(can(onTeam(7, 'observer'), 'read', { type: 'team', teamId: 8 })).toBe(false)
  })

  it('team admins edit their team and its users; maintainers manage its secrets', () => {
    expect(can(onTeam(7, 'admin'), 'write', { type: 'team', teamId: 7 })).toBe(true)
    expect(can(onTeam(7, 'maintainer'), 'write', { type: 'team', teamId: 7 })).toBe(false)
    expect(can(onTeam(7, 'maintainer'), 'write', { type: 'enroll_secret', teamId: 7 })).toBe(true)
    expect(can(onTeam(7, 'maintainer'), 'write', { type: 'enroll_secret', teamId: 8 })).toBe(false)
    expect(can(onTeam(7, 'maintainer'), 'write', { type: 'enroll_secret', teamId: null })).toBe(
      false,
    )
    expect(can(onTeam(7, 'admin'), 'create', { type: 'team' })).toBe(false)
  })

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

  it('sessions belong to their user (and admins)', () => {
    expect(can(onTeam(7, 'observer'), 'delete', { type: 'session', userId: 2 })).toBe(true)
    expect(can(onTeam(7, 'observer'), 'delete', { type: 'session', userId: 3 })).toBe(false)
    expect(can(global('admin'), 'delete', { type: 'session', userId: 3 })).toBe(true)
  })
})
