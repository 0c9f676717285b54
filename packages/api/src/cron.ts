import { z } from 'zod'
import { defineEndpoint } from './contract.js'

/**
 * Runs a cron schedule now, outside its interval (`fleetctl trigger --name X`). An unknown or
 * missing name is a 404 whose reason lists the valid names; a schedule already running here is a
 * 409. The run happens in the background: the answer comes once it has started.
 */
export const triggerCronSchedule = defineEndpoint({
  method: 'POST',
  path: '/trigger',
  mount: 'fleet',
  tag: 'Cron',
  summary: 'Trigger an ad hoc run of a cron schedule by name',
  auth: 'user',
  query: z.object({ name: z.string().default('') }),
  response: z.object({}),
})
