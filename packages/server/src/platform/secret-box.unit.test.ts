import { describe, expect, it } from 'vitest'
import { createSecretBox } from './secret-box.js'

const KEY = 'k'.repeat(32)

describe('secret box', () => {
  it('opens what it sealed, and the sealed text does not contain the plain text', () => {
    const box = createSecretBox(KEY)
    const sealed = box.seal(Buffer.from('-----BEGIN PRIVATE KEY-----'), 'ca_key')
    expect(sealed).not.toContain('PRIVATE KEY')
    expect(box.open(sealed, 'ca_key').toString()).toBe('-----BEGIN PRIVATE KEY-----')
  })

  it('refuses another key, another name and an altered value', () => {
    const sealed = createSecretBox(KEY).seal(Buffer.from('secret'), 'a')
    expect(() => createSecretBox('x'.repeat(32)).open(sealed, 'a')).toThrow()
    expect(() => createSecretBox(KEY).open(sealed, 'b')).toThrow()
    const altered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    expect(() => createSecretBox(KEY).open(altered, 'a')).toThrow()
    expect(() => createSecretBox(KEY).open('plain', 'a')).toThrow('not a sealed value')
  })

  it('refuses a key shorter than 32 characters', () => {
    expect(() => createSecretBox('short')).toThrow('at least 32 characters')
  })
})
