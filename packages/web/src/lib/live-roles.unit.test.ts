import { describe, expect, it } from 'vitest'
import { canRunLiveQuery } from './roles.js'

const global = (role: string) => ({ global_role: role, teams: [] })
const onTeams = (...roles: string[]) => ({
  global_role: null,
  teams: roles.map((role, i) => ({ id: i + 1, role })),
})

describe('canRunLiveQuery', () => {
  it('lets admins, maintainers and observer_plus run any SQL', () => {
    for (const role of ['admin', 'maintainer', 'observer_plus']) {
      expect(canRunLiveQuery(global(role), false), role).toBe(true)
      expect(canRunLiveQuery(onTeams('observer', role), false), role).toBe(true)
    }
  })

  it('lets observers run only a saved query that allows them', () => {
    expect(canRunLiveQuery(global('observer'), false)).toBe(false)
    expect(canRunLiveQuery(global('observer'), true)).toBe(true)
    expect(canRunLiveQuery(onTeams('observer'), true)).toBe(true)
    expect(canRunLiveQuery(onTeams('observer'), false)).toBe(false)
  })

  it('refuses roles that run nothing, and users with no team', () => {
    expect(canRunLiveQuery(global('gitops'), true)).toBe(false)
    expect(canRunLiveQuery(onTeams(), true)).toBe(false)
  })
})
