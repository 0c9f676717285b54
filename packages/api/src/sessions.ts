import { z } from 'zod'
import { IdParams, Timestamp } from './common.js'
import { defineEndpoint } from './contract.js'
import { Email, User, UserTeam } from './users.js'

export const Session = z
  .object({
    session_id: z.number().int(),
    user_id: z.number().int(),
    created_at: Timestamp,
    accessed_at: Timestamp,
  })
  .meta({ id: 'Session' })

export const login = defineEndpoint({
  method: 'POST',
  path: '/login',
  mount: 'fleet',
  tag: 'Session',
  summary: 'Log in with email and password; returns a session token',
  auth: 'public',
  body: z.object({ email: Email, password: z.string().max(1024) }),
  response: z.object({
    user: User,
    available_teams: z.array(UserTeam.omit({ role: true })),
    token: z.string(),
  }),
})

export const logout = defineEndpoint({
  method: 'POST',
  path: '/logout',
  mount: 'fleet',
  tag: 'Session',
  summary: 'End the current session',
  auth: 'user',
  response: z.object({}),
})

export const getSession = defineEndpoint({
  method: 'GET',
  path: '/sessions/:id',
  mount: 'fleet',
  tag: 'Session',
  summary: 'Get a session',
  auth: 'user',
  params: IdParams,
  response: Session,
})

export const deleteSession = defineEndpoint({
  method: 'DELETE',
  path: '/sessions/:id',
  mount: 'fleet',
  tag: 'Session',
  summary: 'Delete a session',
  auth: 'user',
  params: IdParams,
  response: z.object({}),
})

export const listUserSessions = defineEndpoint({
  method: 'GET',
  path: '/users/:id/sessions',
  mount: 'fleet',
  tag: 'Session',
  summary: "List a user's sessions",
  auth: 'user',
  params: IdParams,
  response: z.object({ sessions: z.array(Session) }),
})

export const deleteUserSessions = defineEndpoint({
  method: 'DELETE',
  path: '/users/:id/sessions',
  mount: 'fleet',
  tag: 'Session',
  summary: "Delete all of a user's sessions",
  auth: 'user',
  params: IdParams,
  response: z.object({}),
})
