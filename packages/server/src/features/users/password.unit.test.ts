import { describe, expect, it } from 'vitest'
import { hashPassword, passwordProblem, verifyPassword } from './password.js'

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('correct horse 1!', 10)
    expect(hash).toMatch(/^scrypt\$10\$/)
    expect(await verifyPassword('correct horse 1!', hash)).toBe(true)
    expect(await verifyPassword('correct horse 2!', hash)).toBe(false)
  })

  it('salts: the same password hashes differently', async () => {
    expect(await hashPassword('same password 1!', 10)).not.toBe(
      await hashPassword('same password 1!', 10),
    )
  })

  it('rejects malformed or weakened hashes instead of throwing', async () => {
    expect(await verifyPassword('x', 'bcrypt$12$abc')).toBe(false)
    expect(await verifyPassword('x', 'scrypt$4$c2FsdA==$aGFzaA==')).toBe(false)
    expect(await verifyPassword('x', '')).toBe(false)
  })
})

describe('password rules', () => {
  it.each([
    ['short1!', /at least 12/],
    ['a'.repeat(49) + '1!', /at most 48/],
    ['no-number-here!', /number/],
    ['nosymbol12345', /symbol/],
  ])('%j is refused', (password, reason) => {
    expect(passwordProblem(password)).toMatch(reason)
  })
  it('accepts a good password', () => {
    expect(passwordProblem('a-good-password-1')).toBeUndefined()
  })
})
