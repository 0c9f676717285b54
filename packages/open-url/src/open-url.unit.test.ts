import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { browserOpenDecision, onPath, openerFor } from './index.js'

describe('openerFor / onPath', () => {
  it('opens with open on macOS, start on Windows, xdg-open elsewhere', () => {
    expect(openerFor('darwin').command).toBe('open')
    expect(openerFor('win32')).toEqual({ command: 'cmd', args: ['/c', 'start', '""'] })
    expect(openerFor('linux').command).toBe('xdg-open')
  })

  it('finds a command only where it is, by name on PATH or by its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opener-'))
    writeFileSync(join(dir, 'xdg-open'), '#!/bin/sh\n')
    chmodSync(join(dir, 'xdg-open'), 0o755)
    expect(onPath('xdg-open', dir)).toBe(true)
    expect(onPath('xdg-open', mkdtempSync(join(tmpdir(), 'empty-')))).toBe(false)
    expect(onPath('xdg-open', '')).toBe(false)
    expect(onPath(join(dir, 'xdg-open'), '')).toBe(true)
    expect(onPath(join(dir, 'missing'), dir)).toBe(false)
  })
})

describe('browserOpenDecision', () => {
  const desktop = { DISPLAY: ':0' }

  it('opens with the platform opener on a desktop', () => {
    expect(browserOpenDecision(desktop, 'linux')).toEqual({
      open: true,
      opener: { command: 'xdg-open', args: [] },
    })
    expect(browserOpenDecision({ WAYLAND_DISPLAY: 'wayland-0' }, 'freebsd')).toMatchObject({
      open: true,
    })
    // macOS and Windows always have a desktop: no DISPLAY there.
    expect(browserOpenDecision({}, 'darwin')).toMatchObject({ open: true })
    expect(browserOpenDecision({}, 'win32')).toMatchObject({ open: true })
  })

  it('does not open on Linux without a graphical session', () => {
    expect(browserOpenDecision({}, 'linux')).toEqual({
      open: false,
      reason: 'no graphical display (DISPLAY, WAYLAND_DISPLAY)',
    })
    expect(browserOpenDecision({ DISPLAY: '' }, 'linux')).toMatchObject({ open: false })
  })

  it('honours --no-open, FLEET_NO_OPEN, CI and tests before anything else', () => {
    const browser = { ...desktop, BROWSER: 'firefox' }
    expect(browserOpenDecision(browser, 'linux', true)).toEqual({
      open: false,
      reason: '--no-open was given',
    })
    expect(browserOpenDecision({ ...browser, FLEET_NO_OPEN: '1' }, 'darwin')).toEqual({
      open: false,
      reason: 'FLEET_NO_OPEN is set',
    })
    expect(browserOpenDecision({ ...browser, CI: 'true' }, 'darwin')).toEqual({
      open: false,
      reason: 'running in CI',
    })
    expect(browserOpenDecision({ ...browser, VITEST: 'true' }, 'win32')).toEqual({
      open: false,
      reason: 'running under tests',
    })
  })

  it('reads an unset-looking flag as unset', () => {
    for (const value of ['', '0', 'false', 'FALSE ']) {
      expect(browserOpenDecision({ ...desktop, CI: value, FLEET_NO_OPEN: value }, 'linux')).toEqual(
        { open: true, opener: { command: 'xdg-open', args: [] } },
      )
    }
  })

  it('uses BROWSER as the program, even without a display, and BROWSER=none opts out', () => {
    expect(browserOpenDecision({ BROWSER: '/usr/bin/w3m' }, 'linux')).toEqual({
      open: true,
      opener: { command: '/usr/bin/w3m', args: [] },
    })
    expect(browserOpenDecision({ ...desktop, BROWSER: 'None' }, 'linux')).toEqual({
      open: false,
      reason: 'BROWSER is none',
    })
  })
})
