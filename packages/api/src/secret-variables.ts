import { z } from 'zod'
import { defineEndpoint } from './contract.js'

/** A secret variable as GitOps sends it: `FLEET_SECRET_<NAME>` and its value. */
export const SecretVariable = z.object({
  name: z.string().min(1).max(255),
  value: z.string().max(64 * 1024),
})
export type SecretVariable = z.infer<typeof SecretVariable>

/**
 * Fleet's `PUT /spec/secret_variables`: creates or replaces secret variables that profiles and
 * scripts reference as `$FLEET_SECRET_<NAME>`. Values are never returned.
 */
export const applySecretVariables = defineEndpoint({
  method: 'PUT',
  path: '/spec/secret_variables',
  mount: 'fleet',
  tag: 'Secret variables',
  summary: 'Create or replace secret variables ($FLEET_SECRET_*)',
  auth: 'user',
  body: z.object({
    secrets: z.array(SecretVariable).max(1000),
    dry_run: z.boolean().optional(),
  }),
  response: z.object({}),
})
