import { z } from 'zod'
import { Timestamp } from './common.js'
import { defineEndpoint } from './contract.js'

export const OsVersionJson = z
  .object({
    /** The OS as the host reports it, e.g. "Ubuntu 22.04.3 LTS". */
    name: z.string(),
    /** `name` up to its version: "Ubuntu" (the hosts list's `os_name` filter). */
    name_only: z.string(),
    /** The rest: "22.04.3 LTS" (the hosts list's `os_version` filter); '' when none. */
    version: z.string(),
    platform: z.string(),
    hosts_count: z.number().int(),
  })
  .meta({ id: 'OsVersion' })
export type OsVersionJson = z.infer<typeof OsVersionJson>

export const listOsVersions = defineEndpoint({
  method: 'GET',
  path: '/os_versions',
  mount: 'fleet',
  tag: 'Hosts',
  summary: 'Operating systems of the hosts you can see, with how many hosts run each, most first',
  auth: 'user',
  query: z.object({
    /** `0`: hosts on no team. */
    team_id: z.coerce.number().int().min(0).optional(),
    platform: z.string().max(64).optional(),
  }),
  response: z.object({
    counts_updated_at: Timestamp,
    count: z.number().int(),
    os_versions: z.array(OsVersionJson),
  }),
})
