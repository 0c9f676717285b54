import { describe, expect, it } from 'vitest'
import { generateSecret, withoutSecret, withSecret } from './enroll-secrets.js'

describe('enroll secret editing', () => {
  it('generates 32 URL-safe characters from the random bytes given', () => {
    const secret = generateSecret((bytes) => bytes.fill(0xfb))
    expect(secret).toHaveLength(32)
    expect(secret).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(generateSecret((b) => crypto.getRandomValues(b))).not.toBe(
      generateSecret((b) => crypto.getRandomValues(b)),
    )
  })

  it('adds a trimmed secret and refuses empty, spaced, duplicate and 51st ones', () => {
    expect(withSecret(['a'], '  b ')).toEqual({ secrets: ['a', 'b'] })
    expect(withSecret([], '   ')).toEqual({ error: 'A secret cannot be empty.' })
    expect(withSecret([], 'has space')).toHaveProperty('error')
    expect(withSecret([], 'tab\there')).toHaveProperty('error')
    expect(withSecret(['a'], 'a')).toEqual({ error: 'That secret is already in the list.' })
    const fifty = Array.from({ length: 50 }, (_, i) => `s${i}`)
    expect(withSecret(fifty, 'one-more')).toEqual({ error: 'At most 50 secrets.' })
  })

  it('deletes only the secret named', () => {
    expect(withoutSecret(['a', 'b', 'c'], 'b')).toEqual(['a', 'c'])
    expect(withoutSecret(['a'], 'z')).toEqual(['a'])
  })
})
