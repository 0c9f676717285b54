/**
 * The signed-in session: the API token in localStorage (under Fleet's own key, so a console tab
 * survives reloads) and why the last session ended, shown once on the login page. Components read
 * it with `useSession` and re-render when it changes.
 */
const TOKEN_KEY = 'FLEET::auth_token'
const NOTICE_KEY = 'FLEET::session_notice'

type Listener = () => void
const listeners = new Set<Listener>()

function storage(): Storage | undefined {
  try {
    return window.localStorage
  } catch {
    return undefined
  }
}

let current: string | undefined = storage()?.getItem(TOKEN_KEY) ?? undefined

function notify(): void {
  for (const listener of listeners) {
    listener()
  }
}

export const session = {
  token: (): string | undefined => current,

  subscribe(listener: Listener): () => void {
    listeners.add(listener)
    return () => listeners.delete(listener)
  },

  /** After login or setup. */
  start(token: string): void {
    current = token
    storage()?.setItem(TOKEN_KEY, token)
    window.sessionStorage.removeItem(NOTICE_KEY)
    notify()
  },

  /** Ends the session here (after logout, or when the server no longer accepts it). */
  end(notice?: string): void {
    if (current === undefined) {
      return
    }
    current = undefined
    storage()?.removeItem(TOKEN_KEY)
    if (notice) {
      window.sessionStorage.setItem(NOTICE_KEY, notice)
    }
    notify()
  },

  /** The reason the last session ended, once. */
  takeNotice(): string | undefined {
    const notice = window.sessionStorage.getItem(NOTICE_KEY) ?? undefined
    window.sessionStorage.removeItem(NOTICE_KEY)
    return notice
  },
}

/** Shown on the login page when the server refused the stored token (expired or revoked). */
export const EXPIRED_NOTICE = 'Your session has expired or was ended. Please log in again.'
