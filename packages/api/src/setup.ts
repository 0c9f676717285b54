import { z } from 'zod'
import { defineEndpoint } from './contract.js'
import { Email, Name, User } from './users.js'

export const SetupRequest = z.object({
  admin: z.object({
    admin: z.boolean().optional(),
    email: Email,
    name: Name,
    password: z.string().max(1024),
    password_confirmation: z.string().max(1024).optional(),
  }),
  org_info: z.object({ org_name: z.string().trim().min(1).max(255) }),
  server_url: z.string().max(2048).optional(),
})
export type SetupRequest = z.infer<typeof SetupRequest>

export const setup = defineEndpoint({
  method: 'POST',
  path: '/setup',
  mount: 'api',
  tag: 'Setup',
  summary: 'Create the first admin user and organization (only while no user exists)',
  auth: 'public',
  body: SetupRequest,
  response: z.object({
    admin: User,
    org_info: z.object({ org_name: z.string() }),
    server_url: z.string(),
    osquery_enroll_secret: z.string().nullable(),
    token: z.string(),
  }),
})

export const VersionInfo = z.object({
  version: z.string(),
  branch: z.string(),
  revision: z.string(),
  go_version: z.string(),
  build_date: z.string(),
  build_user: z.string(),
})

export const getVersion = defineEndpoint({
  method: 'GET',
  path: '/version',
  mount: 'fleet',
  tag: 'Setup',
  summary: 'Server version',
  auth: 'user',
  response: VersionInfo,
})
