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
