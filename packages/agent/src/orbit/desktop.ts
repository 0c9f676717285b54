import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { sleep } from '../transport/backoff.js'
import { readDeviceToken } from './device-token.js'

/**
 * The My device page of the host holding `token` on the Fleet server at `fleetUrl` (its path
 * prefix kept, as orbit's API calls keep it).
 *
 * @example myDeviceUrl(new URL('https://fleet.example.com'), 'abc') // https://fleet.example.com/device/abc
 */
export function myDeviceUrl(fleetUrl: URL, token: string): string {
  const prefix = fleetUrl.pathname.replace(/\/+$/, '')
  return `${fleetUrl.origin}${prefix}/device/${encodeURIComponent(token)}`
}

/** The program that opens a URL in the user's browser on `platform` (Fleet Desktop's "My device"). */
export function openerFor(platform: NodeJS.Platform): { command: string; args: string[] } {
  switch (platform) {
    case 'darwin':
      return { command: 'open', args: [] }
    case 'win32':
      // `start`'s first quoted argument is a window title; the empty one keeps the URL an URL.
      return { command: 'cmd', args: ['/c', 'start', '""'] }
    default:
      return { command: 'xdg-open', args: [] }
  }
}

/** Whether `command` is on PATH (`cmd` always is on Windows). */
export function onPath(command: string, path = process.env.PATH ?? ''): boolean {
  if (command === 'cmd') {
    return process.platform === 'win32'
  }
  return path.split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)))
}

/**
 * Opens `url` with the platform's opener, detached so fleetd does not wait for the browser.
 * Resolves false when there is no opener (a server without a desktop) or it could not start.
 */
export function openUrl(
  url: string,
  platform: NodeJS.Platform = process.platform,
): Promise<boolean> {
  const opener = openerFor(platform)
  if (!onPath(opener.command)) {
    return Promise.resolve(false)
  }
  return new Promise((resolve) => {
    const child = spawn(opener.command, [...opener.args, url], {
      detached: true,
      stdio: 'ignore',
    })
    child.once('error', () => resolve(false))
    child.once('spawn', () => {
      child.unref()
      resolve(true)
    })
  })
}

/**
 * Calls `onToken` with the device token in `path` now (when there is one) and with each new token
 * orbit writes there after a rotation, until `signal` aborts. Orbit writes the file only once the
 * server has registered the token, so every token passed on opens My device.
 */
export async function followDeviceToken(
  path: string,
  onToken: (token: string) => void,
  options: { intervalMs: number; signal: AbortSignal },
): Promise<void> {
  let last: string | undefined
  while (!options.signal.aborted) {
    const token = readDeviceToken(path)
    if (token !== undefined && token !== last) {
      last = token
      onToken(token)
    }
    await sleep(options.intervalMs, options.signal)
  }
}
