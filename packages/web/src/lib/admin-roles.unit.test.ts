import { describe, expect, it } from 'vitest'
import {
  administeredTeams,
  canCreateTeams,
  canEditPolicyWebhook,
  canEditTeam,
  canManageControls,
  canManageEnrollSecrets,
  controlsTeamId,
  canManageLabels,
  canManageUsers,
  canSetUpMdm,
  describeRoles,
  settingsTabs,
} from './admin-roles.js'

const global = (role: string) => ({ global_role: role, teams: [] })
const teamUser = (...teams: [number, string][]) => ({
  global_role: null,
  teams: teams.map(([id, role]) => ({ id, role })),
})

describe('admin pages role gating', () => {
  it('gives a global admin every control', () => {
    const admin = global('admin')
    expect(canManageLabels(admin)).toBe(true)
    expect(canCreateTeams(admin)).toBe(true)
    expect(canEditTeam(admin, 7)).toBe(true)
    expect(canManageUsers(admin)).toBe(true)
    expect(canManageEnrollSecrets(admin, null)).toBe(true)
    expect(canEditPolicyWebhook(admin, null)).toBe(true)
    expect(canEditPolicyWebhook(admin, 7)).toBe(true)
    expect(administeredTeams(admin)).toBe('all')
    expect(settingsTabs(admin).map((t) => t.label)).toEqual([
      'Users',
      'Teams',
      'Enroll secrets',
      'Integrations',
    ])
  })

  it('lets a global maintainer manage labels and secrets but not teams, users or webhooks', () => {
    const maintainer = global('maintainer')
    expect(canManageLabels(maintainer)).toBe(true)
    expect(canManageEnrollSecrets(maintainer, null)).toBe(true)
    expect(canManageEnrollSecrets(maintainer, 3)).toBe(true)
    expect(canCreateTeams(maintainer)).toBe(false)
    expect(canEditTeam(maintainer, 3)).toBe(false)
    expect(canManageUsers(maintainer)).toBe(false)
    expect(canEditPolicyWebhook(maintainer, null)).toBe(false)
    expect(settingsTabs(maintainer).map((t) => t.label)).toEqual(['Enroll secrets'])
  })

  it('gives observers no control and no settings', () => {
    for (const role of ['observer', 'observer_plus']) {
      const observer = global(role)
      expect(canManageLabels(observer)).toBe(false)
      expect(canCreateTeams(observer)).toBe(false)
      expect(canEditTeam(observer, 1)).toBe(false)
      expect(canManageUsers(observer)).toBe(false)
      expect(canManageEnrollSecrets(observer, null)).toBe(false)
      expect(canManageEnrollSecrets(observer, 1)).toBe(false)
      expect(canEditPolicyWebhook(observer, null)).toBe(false)
      expect(settingsTabs(observer)).toEqual([])
    }
  })

  it('confines a team admin to their own team', () => {
    const user = teamUser([1, 'admin'], [2, 'observer'])
    expect(canEditTeam(user, 1)).toBe(true)
    expect(canEditTeam(user, 2)).toBe(false)
    expect(canEditTeam(user, 3)).toBe(false)
    expect(canEditPolicyWebhook(user, 1)).toBe(true)
    expect(canEditPolicyWebhook(user, 2)).toBe(false)
    expect(canEditPolicyWebhook(user, null)).toBe(false)
    expect(canManageEnrollSecrets(user, 1)).toBe(true)
    expect(canManageEnrollSecrets(user, 2)).toBe(false)
    expect(canManageEnrollSecrets(user, null)).toBe(false)
    expect(canManageLabels(user)).toBe(false)
    expect(canCreateTeams(user)).toBe(false)
    expect(canManageUsers(user)).toBe(false)
    expect(administeredTeams(user)).toEqual([1])
    expect(settingsTabs(user).map((t) => t.to)).toEqual(['/settings/teams'])
  })

  it('lets a team maintainer manage its secrets, not its members', () => {
    const user = teamUser([4, 'maintainer'])
    expect(canManageEnrollSecrets(user, 4)).toBe(true)
    expect(canEditTeam(user, 4)).toBe(false)
    expect(settingsTabs(user)).toEqual([])
  })

  it('describes roles the way the users list shows them', () => {
    expect(describeRoles({ global_role: 'observer_plus', teams: [] })).toBe('Observer+')
    expect(
      describeRoles({
        global_role: null,
        teams: [
          { name: 'Servers', role: 'observer' },
          { name: 'Laptops', role: 'admin' },
        ],
      }),
    ).toBe('Observer on Servers, Admin on Laptops')
    expect(describeRoles({ global_role: null, teams: [] })).toBe('No access')
  })

  it('opens Controls to profile writers only, and MDM set-up to global admins', () => {
    expect(canManageControls(global('admin'))).toBe(true)
    expect(canManageControls(global('maintainer'), 4)).toBe(true)
    for (const role of ['observer', 'observer_plus', 'gitops']) {
      expect(canManageControls(global(role))).toBe(false)
      expect(canManageControls(global(role), null)).toBe(false)
    }
    const user = teamUser([1, 'maintainer'], [2, 'observer'])
    expect(canManageControls(user)).toBe(true)
    expect(canManageControls(user, 1)).toBe(true)
    expect(canManageControls(user, 2)).toBe(false)
    expect(canManageControls(user, null)).toBe(false)
    expect(canManageControls(teamUser([2, 'observer']))).toBe(false)
    expect(controlsTeamId(global('admin'), undefined)).toBeUndefined()
    expect(controlsTeamId(global('maintainer'), 5)).toBe(5)
    expect(controlsTeamId(user, 2)).toBe(1)
    expect(controlsTeamId(user, undefined)).toBe(1)
    expect(controlsTeamId(teamUser([2, 'observer'], [3, 'admin']), 3)).toBe(3)
    expect(canSetUpMdm(global('admin'))).toBe(true)
    expect(canSetUpMdm(global('maintainer'))).toBe(false)
    expect(canSetUpMdm(teamUser([1, 'admin']))).toBe(false)
  })
})
