import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { currentDeviceToken, DEVICE_TOKEN_ROTATE_MS, saveDeviceToken } from './device-token.js'
import { followDeviceToken, myDeviceUrl } from './desktop.js'

describe('myDeviceUrl', () => {
  it('is /device/TOKEN on the server origin, keeping a path prefix', () => {
    expect(myDeviceUrl(new URL('https://fleet.example.com:8412'), 'abc')).toBe(
      'https://fleet.example.com:8412/device/abc',
    )
    expect(myDeviceUrl(new URL('https://example.com/fleet/'), 'a b')).toBe(
      'https://example.com/fleet/device/a%20b',
    )
  })
})

describe('followDeviceToken', () => {
  it('reports the token, then each rotated one, and ignores files without a UUID', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'follow-')), 'identifier')
    writeFileSync(file, 'garbage')
    const seen: string[] = []
    const stop = new AbortController()
    let resolveSeen: (() => void) | undefined
    const following = followDeviceToken(
      file,
      (token) => {
        seen.push(token)
        resolveSeen?.()
      },
      { intervalMs: 10, signal: stop.signal },
    )
    const next = () => new Promise<void>((resolve) => (resolveSeen = resolve))

    const first = currentDeviceToken(file, Date.now())
    const gotFirst = next()
    saveDeviceToken(file, first.token)
    await gotFirst
    const old = (Date.now() - DEVICE_TOKEN_ROTATE_MS - 1000) / 1000
    utimesSync(file, old, old)
    const rotated = currentDeviceToken(file, Date.now())
    expect(rotated.rotated).toBe(true)
    const gotSecond = next()
    saveDeviceToken(file, rotated.token)
    await gotSecond
    stop.abort()
    await following
    expect(seen).toEqual([first.token, rotated.token])
  })
})
