import { triggerCronSchedule } from '@fleet/api'
import { authorize } from '../platform/authz/index.js'
import { ConflictError, NotFoundError } from '../platform/errors/index.js'
import { registerEndpoint, type EndpointRegistrar } from '../platform/http/index.js'
import type { CronRunner } from './cron-runner.js'

/** Fleet's wording for the valid names: "a", "a, and b", "a, b, and c". */
export function supportedTriggerNames(names: readonly string[]): string {
  if (names.length === 0) {
    return 'no supported triggers'
  }
  if (names.length === 1) {
    return `supported trigger name is ${names[0]}`
  }
  return `supported trigger names are ${names.slice(0, -1).join(', ')}, and ${names.at(-1)}`
}

/** `POST /trigger?name=X`: runs a cron schedule now (`fleetctl trigger`). */
export function registerTriggerRoutes(r: EndpointRegistrar, { cron }: { cron: CronRunner }): void {
  registerEndpoint(r, triggerCronSchedule, async ({ query }, ctx) => {
    authorize(ctx.authz, { type: 'cron_schedule' }, 'write')
    const outcome = await cron.trigger(query.name)
    switch (outcome.kind) {
      case 'unknown':
        throw new NotFoundError(
          `cron schedule ${query.name}`,
          undefined,
          `invalid name; ${supportedTriggerNames(outcome.names)}`,
        )
      case 'running':
        throw new ConflictError(
          `conflicts with current status of ${query.name} schedule: run started ${Math.round(outcome.sinceMs / 1000)}s ago`,
        )
      case 'started':
        return {}
    }
  })
}
