import { z } from 'zod'
import { IdParams, ListQuery, Timestamp } from './common.js'
import { defineEndpoint } from './contract.js'
import { Role } from './roles.js'

export const UserTeam = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  role: Role,
})

export const User = z
  .object({
    id: z.number().int(),
    created_at: Timestamp,
    updated_at: Timestamp,
    name: z.string(),
    email: z.string(),
    global_role: Role.nullable(),
    enabled: z.boolean(),
    force_password_reset: z.boolean(),
    gravatar_url: z.string(),
    sso_enabled: z.boolean(),
    mfa_enabled: z.boolean(),
    api_only: z.boolean(),
    teams: z.array(UserTeam),
  })
  .meta({ id: 'User' })
export type User = z.infer<typeof User>

export const Email = z
  .string()
  .trim()
  .max(255)
  .pipe(z.email({ message: 'must be a valid email address' }))
  .transform((s) => s.toLowerCase())

/** Fleet's password rule: 12–48 characters with at least one number and one symbol. */
export const Password = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(48, 'must be at most 48 characters')
  .regex(/[0-9]/, 'must contain at least one number')
  .regex(/[^A-Za-z0-9]/, 'must contain at least one symbol')

export const Name = z.string().trim().min(1, 'cannot be empty').max(255)

export const TeamRoleAssignment = z.object({ id: z.number().int().positive(), role: Role })

export const CreateUserRequest = z.object({
  name: Name,
  email: Email,
  password: z.string().max(1024).optional(),
  sso_enabled: z.boolean().default(false),
  api_only: z.boolean().default(false),
  global_role: Role.nullable().optional(),
  admin_forced_password_reset: z.boolean().optional(),
  /** `null` is no team: real fleetctl sends Go's nil slice when no --team is given. */
  teams: z.array(TeamRoleAssignment).max(1000).nullish(),
})
export type CreateUserRequest = z.infer<typeof CreateUserRequest>

export const ModifyUserRequest = z.object({
  name: Name.optional(),
  email: Email.optional(),
  password: z.string().max(1024).optional(),
  new_password: z.string().max(1024).optional(),
  global_role: Role.nullable().optional(),
  teams: z.array(TeamRoleAssignment).max(1000).optional(),
  sso_enabled: z.boolean().optional(),
  api_only: z.boolean().optional(),
  position: z.string().max(255).optional(),
})
export type ModifyUserRequest = z.infer<typeof ModifyUserRequest>

const UserResponse = z.object({ user: User })

export const listUsers = defineEndpoint({
  method: 'GET',
  path: '/users',
  mount: 'fleet',
  tag: 'Users',
  summary: 'List users',
  auth: 'user',
  query: ListQuery.extend({ team_id: z.coerce.number().int().positive().optional() }),
  response: z.object({ users: z.array(User) }),
})

export const createUser = defineEndpoint({
  method: 'POST',
  path: '/users/admin',
  mount: 'fleet',
  tag: 'Users',
  summary: 'Create a user (global admins, and team admins for their teams)',
  auth: 'user',
  body: CreateUserRequest,
  response: UserResponse.extend({ token: z.string().optional() }),
})

export const getUser = defineEndpoint({
  method: 'GET',
  path: '/users/:id',
  mount: 'fleet',
  tag: 'Users',
  summary: 'Get a user',
  auth: 'user',
  params: IdParams,
  response: UserResponse.extend({ available_teams: z.array(UserTeam.omit({ role: true })) }),
})

export const modifyUser = defineEndpoint({
  method: 'PATCH',
  path: '/users/:id',
  mount: 'fleet',
  tag: 'Users',
  summary: 'Modify a user',
  auth: 'user',
  params: IdParams,
  body: ModifyUserRequest,
  response: UserResponse,
})

export const deleteUser = defineEndpoint({
  method: 'DELETE',
  path: '/users/:id',
  mount: 'fleet',
  tag: 'Users',
  summary: 'Delete a user',
  auth: 'user',
  params: IdParams,
  response: z.object({}),
})

export const requirePasswordReset = defineEndpoint({
  method: 'POST',
  path: '/users/:id/require_password_reset',
  mount: 'fleet',
  tag: 'Users',
  summary: 'Require (or stop requiring) a password reset at next login',
  auth: 'user',
  params: IdParams,
  body: z.object({ require: z.boolean() }),
  response: UserResponse,
})

/** One user's roles in a `kind: user_roles` spec: teams by name (Fleet's UserRoleSpec). */
export const UserRoleSpec = z.object({
  global_role: Role.nullable().optional(),
  /** `null` is no team (Go's nil slice). */
  teams: z
    .array(z.object({ team: z.string().min(1).max(255), role: Role }))
    .max(1000)
    .nullish(),
})

/** `fleetctl apply` of `kind: user_roles`: each user, by email, gets exactly these roles. */
export const UserRolesSpec = z.object({
  roles: z
    .record(z.string().min(1).max(255), UserRoleSpec)
    .refine((roles) => Object.keys(roles).length <= 10_000, 'at most 10,000 users'),
})

export const applyUserRolesSpec = defineEndpoint({
  method: 'POST',
  path: '/users/roles/spec',
  mount: 'fleet',
  tag: 'Users',
  summary: "Set users' global and team roles from a user_roles spec (global admins only)",
  auth: 'user',
  body: z.object({ spec: UserRolesSpec }),
  response: z.object({}),
})

export const getMe = defineEndpoint({
  method: 'GET',
  path: '/me',
  mount: 'fleet',
  tag: 'Session',
  summary: 'The authenticated user',
  auth: 'user',
  response: UserResponse.extend({ available_teams: z.array(UserTeam.omit({ role: true })) }),
})

export const changePassword = defineEndpoint({
  method: 'POST',
  path: '/change_password',
  mount: 'fleet',
  tag: 'Session',
  summary: "Change the authenticated user's password",
  auth: 'user',
  body: z.object({ old_password: z.string().max(1024), new_password: z.string().max(1024) }),
  response: z.object({}),
})

export const performRequiredPasswordReset = defineEndpoint({
  method: 'POST',
  path: '/perform_required_password_reset',
  mount: 'fleet',
  tag: 'Session',
  summary: 'Set a new password when an admin required a reset',
  auth: 'user',
  body: z.object({ new_password: z.string().max(1024) }),
  response: UserResponse,
})
