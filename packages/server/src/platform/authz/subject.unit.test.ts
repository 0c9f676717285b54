import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { readableHostTeams, type Subject } from './subject.js'

const global = (role: Role): Subject => ({ userId: 1, globalRole: role, teamRoles: new Map() })
const onTeams = (roles: [number, Role][]): Subject => ({
  userId: 2,
  globalRole: null,
  teamRoles: new Map(roles),
})

describe('readableHostTeams (Fleet host team filter)', () => {
  it('global readers read every host; global gitops none', () => {
    for (const role of ['admin', 'maintainer', 'observer', 'observer_plus'] as const) {
      expect(readableHostTeams(global(role))).toBeUndefined()
    }
    expect(readableHostTeams(global('gitops'))).toEqual([])
  })

  it("team users read their teams' hosts, except where they are gitops", () => {
    const user = onTeams([
      [1, 'observer'],
      [2, 'gitops'],
      [3, 'admin'],
    ])
    expect(readableHostTeams(user)).toEqual([1, 3])
    expect(readableHostTeams(onTeams([]))).toEqual([])
  })
})
