import { BrowserFleetClient } from '@fleet/client/browser'
import { EXPIRED_NOTICE, session } from './session.js'

/**
 * The one API client of the console. A 401 on a call made with a token means the server no longer
 * accepts the session: it ends here, and the router sends the user to /login with a notice.
 */
export const client = new BrowserFleetClient({
  token: session.token,
  onUnauthorized: () => session.end(EXPIRED_NOTICE),
})
