import { browserOpenDecision, openUrl } from '@fleet/open-url'
import { println, type Io } from '../io.js'

/**
 * Opens the preview's console in the user's browser, as Fleet's `fleetctl preview` does, unless
 * `optOut` (`--no-open`) or the environment says there is nobody to look at it (CI, tests, no
 * display: `browserOpenDecision`). Says what it did in one line; a browser that cannot start is
 * not an error, the URL is printed above.
 */
export async function openConsole(url: string, io: Io, optOut: boolean): Promise<void> {
  const decision = browserOpenDecision(io.env, process.platform, optOut)
  if (!decision.open) {
    println(io.stdout, `Not opening a browser: ${decision.reason}.`)
    return
  }
  const opened = await openUrl(url, decision.opener, io.env.PATH ?? '')
  println(
    io.stdout,
    opened
      ? `Opened the console in your browser (${decision.opener.command}).`
      : `Could not start ${decision.opener.command} to open the console: open ${url} yourself.`,
  )
}
