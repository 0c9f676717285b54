import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'

/** A program that opens a URL given as its last argument. */
export interface Opener {
  command: string
  args: string[]
}

/** The program that opens a URL in the user's browser on `platform`. */
export function openerFor(platform: NodeJS.Platform): Opener {
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

/** Whether `command` is on PATH, or exists when given as a path (`cmd` always is on Windows). */
export function onPath(command: string, path = process.env.PATH ?? ''): boolean {
  if (command === 'cmd') {
    return process.platform === 'win32'
  }
  if (isAbsolute(command)) {
    return existsSync(command)
  }
  return path.split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)))
}

/** Whether to open a browser by itself, and with what; `reason` says why not. */
export type OpenDecision = { open: true; opener: Opener } | { open: false; reason: string }

/** An environment flag is set when it has a value other than empty, `0` or `false`. */
function flagSet(value: string | undefined): boolean {
  return value !== undefined && !['', '0', 'false'].includes(value.trim().toLowerCase())
}

/**
 * Whether a command may open the user's browser unasked (as `fleetctl preview` does once its
 * server is up), following the conventions users already set for other tools:
 * - never with `--no-open` (`optOut`) or `FLEET_NO_OPEN`, in CI (`CI`) or under tests (`VITEST`);
 * - `BROWSER=none` opts out, any other `BROWSER` is the program to open with (as npm, Python's
 *   webbrowser and create-react-app read it), even without a display (a terminal browser);
 * - otherwise the platform's opener, but on Linux and the BSDs only with a graphical session
 *   (`DISPLAY` or `WAYLAND_DISPLAY`): on a server over SSH, xdg-open would start a text browser
 *   in the terminal the command prints to.
 *
 * @example browserOpenDecision({ DISPLAY: ':0' }, 'linux') // { open: true, opener: xdg-open }
 */
export function browserOpenDecision(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform,
  optOut = false,
): OpenDecision {
  if (optOut) {
    return { open: false, reason: '--no-open was given' }
  }
  if (flagSet(env.FLEET_NO_OPEN)) {
    return { open: false, reason: 'FLEET_NO_OPEN is set' }
  }
  if (flagSet(env.CI)) {
    return { open: false, reason: 'running in CI' }
  }
  if (flagSet(env.VITEST)) {
    return { open: false, reason: 'running under tests' }
  }
  const browser = env.BROWSER?.trim()
  if (browser !== undefined && browser !== '') {
    return browser.toLowerCase() === 'none'
      ? { open: false, reason: 'BROWSER is none' }
      : { open: true, opener: { command: browser, args: [] } }
  }
  if (platform === 'darwin' || platform === 'win32') {
    return { open: true, opener: openerFor(platform) }
  }
  if (!flagSet(env.DISPLAY) && !flagSet(env.WAYLAND_DISPLAY)) {
    return { open: false, reason: 'no graphical display (DISPLAY, WAYLAND_DISPLAY)' }
  }
  return { open: true, opener: openerFor(platform) }
}

/**
 * Opens `url` with `opener` (default: the platform's), detached so the caller does not wait for
 * the browser. Resolves false when the opener is not installed or could not start.
 */
export function openUrl(
  url: string,
  opener: Opener = openerFor(process.platform),
  path = process.env.PATH ?? '',
): Promise<boolean> {
  if (!onPath(opener.command, path)) {
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
