import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { createAuthorizer, type Subject } from '../../platform/authz/index.js'
import { mdmProfileRules } from './mdm-profiles.rules.js'

const { can } = createAuthorizer(mdmProfileRules)
const global = (role: Role): Subject => ({ userId: 1, globalRole: role, teamRoles: new Map() })
const onTeam = (role: Role): Subject => ({
  userId: 2,
  globalRole: null,
  teamRoles: new Map([[1, role]]),
})
const resource = (teamId: number | null) => ({ type: 'mdm_config_profile' as const, teamId })

describe('configuration profiles authorization (Fleet policy.rego mdm_config_profile)', () => {
  it.each<[Role, boolean, boolean]>([
    ['admin', true, true],
    ['maintainer', true, true],
    ['gitops', false, true],
    ['observer', false, false],
    ['observer_plus', false, false],
  ])('global %s: read %s, write %s', (role, read, write) => {
    for (const teamId of [null, 1]) {
      expect(can(global(role), 'read', resource(teamId))).toBe(read)
      expect(can(global(role), 'write', resource(teamId))).toBe(write)
    }
  })

  it.each<[Role, boolean, boolean]>([
    ['admin', true, true],
    ['maintainer', true, true],
    ['gitops', false, true],
    ['observer', false, false],
    ['observer_plus', false, false],
  ])('team %s: read %s, write %s on its team, nothing elsewhere', (role, read, write) => {
    expect(can(onTeam(role), 'read', resource(1))).toBe(read)
    expect(can(onTeam(role), 'write', resource(1))).toBe(write)
    for (const teamId of [null, 2]) {
      expect(can(onTeam(role), 'read', resource(teamId))).toBe(false)
      expect(can(onTeam(role), 'write', resource(teamId))).toBe(false)
    }
  })
})
