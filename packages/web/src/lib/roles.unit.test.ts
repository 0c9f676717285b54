import { describe, expect, it } from 'vitest'
import { canTransfer, canWrite } from './roles.js'

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
