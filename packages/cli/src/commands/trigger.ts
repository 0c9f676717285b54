import { triggerCronSchedule } from '@fleet/api'
import { FleetApiError } from '@fleet/client'
import type { Command } from 'commander'
import { z } from 'zod'
import { isNotFound } from '../errors.js'
import { println, type Io } from '../io.js'
import { optionsOf } from '../options.js'
import { globalsOf, withClient } from '../session.js'

const TriggerOptions = z.object({ name: z.string().optional() })

/**
 * `fleetctl trigger --name X` (or `NAME=X`): runs a server cron schedule now, as Fleet's. An
 * unknown name or a run already going is reported with `[!]` and exit 0, as Fleet's does.
 */
export function registerTrigger(program: Command, io: Io): void {
  program
    .command('trigger')
    .description('Trigger an ad hoc run of all jobs in a specified cron schedule')
    .option('--name <name>', 'name of the cron schedule to trigger (env NAME)')
    .action(async (_opts: unknown, cmd: Command) => {
      const name = optionsOf(TriggerOptions, cmd).name ?? io.env.NAME ?? ''
      await withClient(globalsOf(cmd, io), { auth: true }, async (client) => {
        try {
          await client.call(triggerCronSchedule, { query: { name } })
        } catch (err) {
          const refused = refusal(err)
          if (refused === undefined) {
            throw err
          }
          println(io.stdout, `[!] ${triggerMessage(name, refused)}`)
          return
        }
        println(io.stdout, `[+] Sent request to trigger ${name} schedule`)
      })
    })
}

/** The server's reason when it refused the name (404) or a run is going (409). */
function refusal(err: unknown): string | undefined {
  if (!(err instanceof FleetApiError) || !(isNotFound(err) || err.status === 409)) {
    return undefined
  }
  return err.errors[0]?.reason ?? err.message
}

/** Fleet's wording: with no name, "name must be specified; …"; first letter upper-cased. */
export function triggerMessage(name: string, reason: string): string {
  const text = name === '' ? reason.replace('invalid name', 'name must be specified') : reason
  return text.charAt(0).toUpperCase() + text.slice(1)
}
