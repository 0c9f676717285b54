import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { createAuthorizer, type Subject } from '../../platform/authz/index.js'
import { mdmEnrollmentRules } from './mdm-enrollment.rules.js'

const { can } = createAuthorizer(mdmEnrollmentRules)
const ROLES: Role[] = ['observer', 'observer_plus', 'maintainer', 'admin', 'gitops']
const PROFILE = { type: 'mdm_enrollment_profile' } as const

describe('the manual enrollment profile is for those who add hosts', () => {
  it.each(ROLES)('global %s', (role) => {
    const subject: Subject = { userId: 1, globalRole: role, teamRoles: new Map() }
    expect(can(subject, 'read', PROFILE)).toBe(role === 'admin' || role === 'maintainer')
    expect(can(subject, 'write', PROFILE)).toBe(false)
  })

  it.each(ROLES)('team %s', (role) => {
    const subject: Subject = { userId: 2, globalRole: null, teamRoles: new Map([[3, role]]) }
    expect(can(subject, 'read', PROFILE)).toBe(role === 'admin' || role === 'maintainer')
  })
})
