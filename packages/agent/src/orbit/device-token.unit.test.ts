import { existsSync, mkdtempSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  currentDeviceToken,
  DEVICE_TOKEN_ROTATE_MS,
  readDeviceToken,
  saveDeviceToken,
} from './device-token.js'

describe('currentDeviceToken', () => {
  const path = () => join(mkdtempSync(join(tmpdir(), 'orbit-token-')), 'identifier')

  it('makes a v4 UUID, written 0600 only when saved, then keeps it while it is young', () => {
    const file = path()
    const first = currentDeviceToken(file, Date.now())
    expect(first.rotated).toBe(true)
    expect(first.token).toMatch(/^[0-9a-f-]{36}$/)
    expect(existsSync(file)).toBe(false)
    saveDeviceToken(file, first.token)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(currentDeviceToken(file, Date.now())).toEqual({ token: first.token, rotated: false })
    expect(readDeviceToken(file)).toBe(first.token)
  })

  it('rotates an old or malformed token', () => {
    const file = path()
    const first = currentDeviceToken(file, Date.now())
    saveDeviceToken(file, first.token)
    const old = (Date.now() - DEVICE_TOKEN_ROTATE_MS - 1000) / 1000
    utimesSync(file, old, old)
    const second = currentDeviceToken(file, Date.now())
    expect(second.rotated).toBe(true)
    expect(second.token).not.toBe(first.token)
    writeFileSync(file, 'not-a-uuid')
    expect(currentDeviceToken(file, Date.now()).rotated).toBe(true)
    expect(readDeviceToken(file)).toBeUndefined()
  })
})
