import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { createAuthorizer, type Subject } from '../../platform/authz/index.js'
import { enrollSecretRules } from './enroll-secrets.rules.js'

const { can } = createAuthorizer(enrollSecretRules)
const ROLES: Role[] = ['observer', 'observer_plus', 'maintainer', 'admin', 'gitops']
const global = (role: Role): Subject => ({ userId: 1, globalRole: role, teamRoles: new Map() })
const onTeam = (teamId: number, role: Role): Subject => ({
  userId: 2,
  globalRole: null,
  teamRoles: new Map([[teamId, role]]),
})
const GLOBAL_SECRETS = { type: 'enroll_secret', teamId: null } as const

describe("enroll secrets follow Fleet's permission matrix", () => {
  it.each(ROLES)('write global enroll secrets: %s', (role) => {
    expect(can(global(role), 'write', GLOBAL_SECRETS)).toBe(
      ['maintainer', 'admin', 'gitops'].includes(role),
    )
  })

  it.each(ROLES)('read global enroll secrets: %s', (role) => {
    expect(can(global(role), 'read', GLOBAL_SECRETS)).toBe(['maintainer', 'admin'].includes(role))
  })

  it("team maintainers manage their team's secrets only", () => {
    expect(can(onTeam(7, 'maintainer'), 'write', { type: 'enroll_secret', teamId: 7 })).toBe(true)
    expect(can(onTeam(7, 'maintainer'), 'write', { type: 'enroll_secret', teamId: 8 })).toBe(false)
    expect(can(onTeam(7, 'maintainer'), 'write', GLOBAL_SECRETS)).toBe(false)
  })
})
