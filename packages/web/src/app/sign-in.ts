import { useQueryClient } from '@tanstack/react-query'
import { useNavigate } from 'react-router'
import { session } from './session.js'

/**
 * Starts a session with a new token (login, setup): drops what was cached for any earlier user,
 * then goes to `to`.
 */
export function useSignIn(): (token: string, to: string) => Promise<void> {
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  return async (token, to) => {
    queryClient.clear()
    session.start(token)
    await navigate(to, { replace: true })
  }
}
