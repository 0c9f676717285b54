import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { createAuthorizer, type Subject } from '../../platform/authz/index.js'
import { mdmCommandRules } from './mdm-command-api.rules.js'

const authz = createAuthorizer(mdmCommandRules)
const globalUser = (role: Role): Subject => ({ userId: 1, globalRole: role, teamRoles: new Map() })
const teamUser = (role: Role): Subject => ({
  userId: 2,
  globalRole: null,
  teamRoles: new Map([[7, role]]),
})
const can = (s: Subject, action: 'read' | 'list' | 'write', teamId?: number | null) =>
  authz.can(s, action, { type: 'mdm_command', ...(teamId !== undefined && { teamId }) })

describe('mdm_command rules (Fleet: execute = maintainer+, view results = every reader)', () => {
  it('lets global admins and maintainers run commands anywhere, no other global role', () => {
    for (const role of ['admin', 'maintainer'] as const) {
      expect(can(globalUser(role), 'write', null)).toBe(true)
      expect(can(globalUser(role), 'write', 7)).toBe(true)
    }
    for (const role of ['observer', 'observer_plus', 'gitops'] as const) {
      expect(can(globalUser(role), 'write', null)).toBe(false)
      expect(can(globalUser(role), 'write')).toBe(false)
    }
  })
  it("lets team admins and maintainers run commands on their team's hosts only", () => {
    expect(can(teamUser('maintainer'), 'write', 7)).toBe(true)
    expect(can(teamUser('admin'), 'write')).toBe(true)
    expect(can(teamUser('maintainer'), 'write', 8)).toBe(false)
    expect(can(teamUser('maintainer'), 'write', null)).toBe(false)
    expect(can(teamUser('observer'), 'write', 7)).toBe(false)
    expect(can(teamUser('observer'), 'write')).toBe(false)
  })
  it('lets every reader read results of the hosts it sees; gitops none', () => {
    expect(can(globalUser('observer'), 'read', null)).toBe(true)
    expect(can(teamUser('observer'), 'read', 7)).toBe(true)
    expect(can(teamUser('observer'), 'read', null)).toBe(false)
    expect(can(teamUser('observer'), 'list')).toBe(true)
    expect(can(globalUser('gitops'), 'list')).toBe(false)
    expect(can(teamUser('gitops'), 'list')).toBe(false)
  })
})
