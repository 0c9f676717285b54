import { describe, expect, it } from 'vitest'
import { AuthRequiredError, ForbiddenError } from '../errors/index.js'
import { allowed, authorize, createAuthorizer, type AuthzState } from './authorizer.js'
import type { Subject } from './subject.js'

// The engine only: which rule decides, and what authorize() does with the answer. The rules
// themselves (Fleet's permission matrix) are tested in each feature's <feature>.rules.test.ts.

const admin: Subject = { userId: 1, globalRole: 'admin', teamRoles: new Map() }
const observer: Subject = { userId: 2, globalRole: 'observer', teamRoles: new Map() }

/** Labels: only admins write; the session rule is absent, so sessions are always refused. */
const authorizer = createAuthorizer({
  label: (subject, action) => action === 'read' || subject.globalRole === 'admin',
})

function state(subject?: Subject): AuthzState {
  return { authorizer, subject, checked: false }
}

describe('authorizer', () => {
  it("decides with the rule of the resource's type", () => {
    expect(authorizer.can(observer, 'read', { type: 'label' })).toBe(true)
    expect(authorizer.can(observer, 'write', { type: 'label' })).toBe(false)
    expect(authorizer.can(admin, 'write', { type: 'label' })).toBe(true)
  })

  it('refuses a resource type no feature registered a rule for', () => {
    expect(authorizer.can(admin, 'read', { type: 'session', userId: 1 })).toBe(false)
  })

  it('authorize returns the subject, marks the request checked, and throws when refused', () => {
    const allowedState = state(admin)
    expect(authorize(allowedState, { type: 'label' }, 'write')).toBe(admin)
    expect(allowedState.checked).toBe(true)

    const refused = state(observer)
    expect(() => authorize(refused, { type: 'label' }, 'write')).toThrow(ForbiddenError)
    expect(refused.checked).toBe(true)
  })

  it('authorize without a subject asks for authentication', () => {
    const anonymous = state()
    expect(() => authorize(anonymous, { type: 'label' }, 'read')).toThrow(AuthRequiredError)
    expect(anonymous.checked).toBe(true)
  })

  it('allowed answers without throwing or marking the request', () => {
    const s = state(observer)
    expect(allowed(s, { type: 'label' }, 'read')).toBe(true)
    expect(allowed(s, { type: 'label' }, 'write')).toBe(false)
    expect(allowed(state(), { type: 'label' }, 'read')).toBe(false)
    expect(s.checked).toBe(false)
  })
})
