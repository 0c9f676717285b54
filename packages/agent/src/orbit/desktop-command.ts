import { openUrl } from '@fleet/open-url'
import { Command, InvalidArgumentError } from 'commander'
import { readDeviceToken } from './device-token.js'
import { followDeviceToken, myDeviceUrl } from './desktop.js'
import { defaultRootDir, readSecretFile, rootDir } from './root-dir.js'

interface DesktopFlags {
  rootDir: string
  fleetUrl?: URL
  open: boolean
  watch: boolean
  interval: number
}

function httpsUrl(value: string): URL {
  try {
    const url = new URL(value)
    if (url.protocol === 'https:') {
      return url
    }
  } catch {
    // reported below
  }
  throw new InvalidArgumentError('must be an https:// URL')
}

function positiveSeconds(value: string): number {
  const seconds = Number(value)
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidArgumentError('must be a positive number of seconds')
  }
  return seconds
}

/**
 * `fleetd desktop`: Fleet Desktop's "My device" menu item for a terminal. Prints the URL of this
 * host's My device page (the server from `--fleet-url` or the one `fleetd run` uses, the token
 * orbit keeps in `<root-dir>/identifier`), opens it with `--open`, and with `--watch` prints the
 * new URL each time orbit rotates the token.
 *
 * @example fleetd desktop --open
 */
export function desktopCommand(): Command {
  return new Command('desktop')
    .description("print (or open) this host's My device URL, as Fleet Desktop's menu does")
    .option('--root-dir <dir>', 'the root directory of `fleetd run`', defaultRootDir())
    .option('--fleet-url <url>', 'Fleet server URL (default: the one `fleetd run` uses)', httpsUrl)
    .option('--open', 'open the URL in the default browser (xdg-open / open)', false)
    .option('--watch', 'keep running and print the new URL after each token rotation', false)
    .option(
      '--interval <s>',
      'with --watch, seconds between checks of the token',
      positiveSeconds,
      5,
    )
    .action(async (flags: DesktopFlags) => {
      process.exitCode = await runDesktop(flags)
    })
}

async function runDesktop(flags: DesktopFlags): Promise<number> {
  const dir = rootDir(flags.rootDir)
  const saved = readSecretFile(dir.fleetUrl)
  const fleetUrl = flags.fleetUrl ?? (saved ? new URL(saved) : undefined)
  if (!fleetUrl) {
    process.stderr.write(
      `fleetd desktop: no Fleet URL: pass --fleet-url, or start \`fleetd run --root-dir ${flags.rootDir}\` first\n`,
    )
    return 2
  }
  if (!flags.watch) {
    const token = readDeviceToken(dir.deviceToken)
    if (token === undefined) {
      process.stderr.write(
        `fleetd desktop: no device token in ${dir.deviceToken} yet: is \`fleetd run\` running and enrolled?\n`,
      )
      return 1
    }
    await show(myDeviceUrl(fleetUrl, token), flags.open)
    return 0
  }
  const stop = new AbortController()
  const onSignal = (): void => stop.abort()
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
  let first = true
  try {
    await followDeviceToken(
      dir.deviceToken,
      (token) => {
        // Only the first URL is opened: a browser tab per rotation would be a nuisance.
        void show(myDeviceUrl(fleetUrl, token), flags.open && first)
        first = false
      },
      { intervalMs: flags.interval * 1000, signal: stop.signal },
    )
    return 0
  } finally {
    process.off('SIGTERM', onSignal)
    process.off('SIGINT', onSignal)
  }
}

/** Prints the URL (the command's output, one URL a line) and opens it when asked. */
async function show(url: string, open: boolean): Promise<void> {
  process.stdout.write(`${url}\n`)
  if (open && !(await openUrl(url))) {
    process.stderr.write('fleetd desktop: found no xdg-open or open to start a browser with\n')
  }
}
