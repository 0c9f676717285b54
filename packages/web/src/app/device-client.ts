import { BrowserFleetClient } from '@fleet/client/browser'

/**
 * The client of the My device page. The device token in the URL is its only credential: it never
 * sends the console's session token (an admin who opens a host's My device link in the same
 * browser must not hand their session to the device API), and a 401 here means the link expired,
 * not that the admin's session ended.
 */
export const deviceClient = new BrowserFleetClient({ token: () => undefined })
