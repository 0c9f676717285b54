import { z } from 'zod'
import { Timestamp } from './common.js'
import { defineEndpoint } from './contract.js'

export const EnrollSecret = z
  .object({ secret: z.string(), created_at: Timestamp, team_id: z.number().int().nullable() })
  .meta({ id: 'EnrollSecret' })
export type EnrollSecret = z.infer<typeof EnrollSecret>

/** A secret as given by a user: 1–255 printable characters. */
export const EnrollSecretInput = z.object({
  secret: z
    .string()
    .min(1, 'cannot be empty')
    .max(255, 'must be at most 255 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
})

/** Fleet caps the number of enroll secrets per team (and globally) at 50. */
export const MAX_ENROLL_SECRETS = 50

const SecretList = z.array(EnrollSecretInput).max(MAX_ENROLL_SECRETS, 'at most 50 secrets')

export const getGlobalEnrollSecrets = defineEndpoint({
  method: 'GET',
  path: '/spec/enroll_secret',
  mount: 'fleet',
  tag: 'Enroll secrets',
  summary: 'Global enroll secrets',
  auth: 'user',
  response: z.object({ spec: z.object({ secrets: z.array(EnrollSecret) }) }),
})

export const applyGlobalEnrollSecrets = defineEndpoint({
  method: 'POST',
  path: '/spec/enroll_secret',
  mount: 'fleet',
  tag: 'Enroll secrets',
  summary: 'Replace the global enroll secrets',
  auth: 'user',
  query: z.object({ dry_run: z.stringbool().default(false) }),
  body: z.object({ spec: z.object({ secrets: SecretList }) }),
  response: z.object({}),
})
