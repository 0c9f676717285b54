import { describe, expect, it } from 'vitest'
import { canEditSettings, canManageHosts, canTransfer, canWrite } from './roles.js'

describe('role gating', () => {
  it('lets global admins and maintainers write anywhere, observers nowhere', () => {
    for (const role of ['admin', 'maintainer']) {
      expect(canWrite({ global_role: role, teams: [] }, null)).toBe(true)
      expect(canWrite({ global_role: role, teams: [] }, 3)).toBe(true)
      expect(canTransfer({ global_role: role, teams: [] })).toBe(true)
    }
    for (const role of ['observer', 'observer_plus']) {
      expect(canWrite({ global_role: role, teams: [] }, null)).toBe(false)
      expect(canWrite({ global_role: role, teams: [] }, 3)).toBe(false)
      expect(canTransfer({ global_role: role, teams: [] })).toBe(false)
    }
  })

  it('lets team maintainers write on their team only', () => {
    const user = {
      global_role: null,
      teams: [
        { id: 1, role: 'maintainer' },
        { id: 2, role: 'observer' },
      ],
    }
    expect(canWrite(user, 1)).toBe(true)
    expect(canWrite(user, 2)).toBe(false)
    expect(canWrite(user, 3)).toBe(false)
    expect(canWrite(user, null)).toBe(false)
    expect(canTransfer(user)).toBe(false)
  })
})

describe('settings gating', () => {
  it('lets global admins edit every setting, team admins only their team', () => {
    expect(canEditSettings({ global_role: 'admin', teams: [] }, null)).toBe(true)
    expect(canEditSettings({ global_role: 'admin', teams: [] }, 4)).toBe(true)
    for (const role of ['maintainer', 'observer', 'observer_plus']) {
      expect(canEditSettings({ global_role: role, teams: [] }, null)).toBe(false)
      expect(canEditSettings({ global_role: role, teams: [] }, 4)).toBe(false)
    }
    const teamAdmin = { global_role: null, teams: [{ id: 4, role: 'admin' }] }
    expect(canEditSettings(teamAdmin, 4)).toBe(true)
    expect(canEditSettings(teamAdmin, 5)).toBe(false)
    expect(canEditSettings(teamAdmin, null)).toBe(false)
    const teamMaintainer = { global_role: null, teams: [{ id: 4, role: 'maintainer' }] }
    expect(canEditSettings(teamMaintainer, 4)).toBe(false)
  })
})

describe('canManageHosts', () => {
  const teamMaintainer = { global_role: null, teams: [{ id: 1, role: 'maintainer' }] }
  const teamObserver = { global_role: null, teams: [{ id: 1, role: 'observer' }] }
  it('lets writers of the team in scope, or of any team for all teams, manage hosts', () => {
    expect(canManageHosts({ global_role: 'admin', teams: [] }, undefined)).toBe(true)
    expect(canManageHosts({ global_role: 'observer', teams: [] }, 1)).toBe(false)
    expect(canManageHosts(teamMaintainer, undefined)).toBe(true)
    expect(canManageHosts(teamMaintainer, 1)).toBe(true)
    expect(canManageHosts(teamMaintainer, 2)).toBe(false)
    expect(canManageHosts(teamObserver, undefined)).toBe(false)
  })
})
