import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { createAuthorizer, type Subject } from '../../platform/authz/index.js'
import { sessionRules } from './sessions.rules.js'

const { can } = createAuthorizer(sessionRules)
const global = (role: Role): Subject => ({ userId: 1, globalRole: role, teamRoles: new Map() })
const onTeam = (teamId: number, role: Role): Subject => ({
  userId: 2,
  globalRole: null,
  teamRoles: new Map([[teamId, role]]),
})

describe('session rules', () => {
  it('sessions belong to their user (and admins)', () => {
    expect(can(onTeam(7, 'observer'), 'delete', { type: 'session', userId: 2 })).toBe(true)
    expect(can(onTeam(7, 'observer'), 'delete', { type: 'session', userId: 3 })).toBe(false)
    expect(can(global('admin'), 'delete', { type: 'session', userId: 3 })).toBe(true)
  })
})
