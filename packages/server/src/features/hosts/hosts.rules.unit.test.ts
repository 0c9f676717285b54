import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { createAuthorizer, type Subject } from '../../platform/authz/index.js'
import { hostRules } from './hosts.rules.js'

const { can } = createAuthorizer(hostRules)
const ROLES: Role[] = ['observer', 'observer_plus', 'maintainer', 'admin', 'gitops']
const global = (role: Role): Subject => ({ userId: 1, globalRole: role, teamRoles: new Map() })
const onTeam = (teamId: number, role: Role): Subject => ({
  userId: 2,
  globalRole: null,
  teamRoles: new Map([[teamId, role]]),
})
const host = (teamId?: number | null) => ({ type: 'host', teamId }) as const

describe("hosts follow Fleet's permission matrix", () => {
  it.each(ROLES)('global %s', (role) => {
    expect(can(global(role), 'read', host(null))).toBe(role !== 'gitops')
    expect(can(global(role), 'list', host())).toBe(role !== 'gitops')
    expect(can(global(role), 'delete', host(7))).toBe(['admin', 'maintainer'].includes(role))
    expect(can(global(role), 'write', host(7))).toBe(
      ['admin', 'maintainer', 'gitops'].includes(role),
    )
    expect(can(global(role), 'create', host(7))).toBe(false)
  })

  it.each(ROLES)('team %s: its own hosts only (none for gitops), and never transfers', (role) => {
    expect(can(onTeam(7, role), 'read', host(7))).toBe(role !== 'gitops')
    expect(can(onTeam(7, role), 'read', host(8))).toBe(false)
    expect(can(onTeam(7, role), 'read', host(null))).toBe(false)
    expect(can(onTeam(7, role), 'list', host())).toBe(role !== 'gitops')
    expect(can(onTeam(7, role), 'list', host(7))).toBe(role !== 'gitops')
    expect(can(onTeam(7, role), 'delete', host(7))).toBe(['admin', 'maintainer'].includes(role))
    expect(can(onTeam(7, role), 'delete', host(8))).toBe(false)
    expect(can(onTeam(7, role), 'write', host(7))).toBe(false)
  })

  it('gitops on one team and a reader on another lists, and reads only the other team', () => {
    const mixed: Subject = {
      userId: 3,
      globalRole: null,
      teamRoles: new Map<number, Role>([
        [7, 'gitops'],
        [8, 'observer'],
      ]),
    }
    expect(can(mixed, 'list', host())).toBe(true)
    expect(can(mixed, 'read', host(8))).toBe(true)
    expect(can(mixed, 'read', host(7))).toBe(false)
  })
})
