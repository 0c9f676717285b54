import { z } from 'zod'

/** Global and team roles, as Fleet names them. */
export const Role = z.enum(['admin', 'maintainer', 'observer', 'observer_plus', 'gitops'])
export type Role = z.infer<typeof Role>
