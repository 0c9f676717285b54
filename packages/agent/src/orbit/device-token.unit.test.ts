import { mkdtempSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { currentDeviceToken, DEVICE_TOKEN_ROTATE_MS } from './device-token.js'

describe('currentDeviceToken', () => {
  const path = () => join(mkdtempSync(join(tmpdir(), 'orbit-token-')), 'identifier')

  it('creates a v4 UUID in a 0600 file, then keeps it while it is young', () => {
    const file = path()
    const first = currentDeviceToken(file, Date.now())
    expect(first.rotated).toBe(true)
    expect(first.token).toMatch(/^[0-9a-f-]{36}$/)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(currentDeviceToken(file, Date.now())).toEqual({ token: first.token, rotated: false })
  })

  it('rotates an old or malformed token', () => {
    const file = path()
    const first = currentDeviceToken(file, Date.now())
    const old = (Date.now() - DEVICE_TOKEN_ROTATE_MS - 1000) / 1000
    utimesSync(file, old, old)
    const second = currentDeviceToken(file, Date.now())
    expect(second.rotated).toBe(true)
    expect(second.token).not.toBe(first.token)
    writeFileSync(file, 'not-a-uuid')
    expect(currentDeviceToken(file, Date.now()).rotated).toBe(true)
  })
})
