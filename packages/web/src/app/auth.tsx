import { getMe } from '@fleet/api'
import { useQuery } from '@tanstack/react-query'
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react'
import { Navigate, useLocation } from 'react-router'
import { ErrorNotice, Loading } from '../components/ui.js'
import { client } from './client.js'
import { session } from './session.js'

export type Me = Awaited<ReturnType<typeof fetchMe>>

const fetchMe = () => client.call(getMe)

/** The signed-in user (from `GET /me`), for pages inside {@link RequireAuth}. */
const MeContext = createContext<Me | undefined>(undefined)

export function useMe(): Me {
  const me = useContext(MeContext)
  if (!me) {
    throw new Error('useMe outside RequireAuth')
  }
  return me
}

/** The current token; re-renders when a login, logout or expiry changes it. */
export function useSessionToken(): string | undefined {
  return useSyncExternalStore(session.subscribe, session.token)
}

/**
 * Pages for signed-in users: without a session (never logged in, logged out, or the server
 * refused the token) they go to /login, which returns here after login.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const token = useSessionToken()
  const location = useLocation()
  const me = useQuery({ queryKey: ['me', token], queryFn: fetchMe, enabled: token !== undefined })
  if (token === undefined) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />
  }
  if (me.isPending) {
    return <Loading what="your account" />
  }
  if (me.isError) {
    return <ErrorNotice error={me.error} onRetry={() => void me.refetch()} />
  }
  return <MeContext.Provider value={me.data}>{children}</MeContext.Provider>
}
