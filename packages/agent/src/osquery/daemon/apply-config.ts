import { OSQUERY_COMPAT_VERSION } from '../../version.js'
import type { Engine } from '../engine/engine.js'
import type { ParsedConfig } from './config.js'
import type { Decorations } from './decorators.js'
import type { Flags } from './flags.js'
import { hostShard, planSchedule } from './schedule-plan.js'
import type { Scheduler } from './scheduler.js'
import type { DaemonLog } from './status-log.js'

/** What applying a config changes: flags, decorators and the schedule. */
export interface ApplyTargets {
  flags: Flags
  log: DaemonLog
  engine: Engine
  decorations: Decorations
  scheduler: Scheduler
  hostIdentifier: string
  platform: string
}

/**
 * Applies a new config in osquery's order: `options` first (runtime flags only; so
 * pack_delimiter and schedule_default_interval from the same config take effect), then
 * `decorators` (running the load ones), then the schedule and packs for this host.
 */
export function applyConfig(config: ParsedConfig, targets: ApplyTargets): void {
  const { flags, log } = targets
  for (const [name, value] of Object.entries(config.options)) {
    const outcome = flags.applyOption(name, value)
    switch (outcome) {
      case 'set':
        log.debug(`Option ${name} set to ${flags.get(name)} by config`)
        break
      case 'unknown':
        log.debug(`Config option ${name} is not a flag this engine knows; ignored`)
        break
      case 'cli-only':
        log.debug(`Config option ${name} can only be set on the command line; ignored`)
        break
      case 'bad-type':
        log.warn(`Config option ${name} has a value of the wrong type; ignored`)
        break
      case 'unchanged':
        break
    }
  }
  targets.decorations.configure(config.decorators)
  const plan = planSchedule(config, {
    platform: targets.platform,
    version: OSQUERY_COMPAT_VERSION,
    hostShard: hostShard(targets.hostIdentifier),
    packDelimiter: flags.get('pack_delimiter'),
    defaultInterval: flags.int('schedule_default_interval', 3600),
    discovery: (sql) => {
      const outcome = targets.engine.query(sql)
      return outcome.status === 0 && outcome.rows.length > 0
    },
  })
  targets.scheduler.setQueries(plan.queries)
  for (const name of plan.skipped) {
    log.debug(`Scheduled query ${name} does not apply to this host`)
  }
  log.info(
    `Config applied: ${plan.queries.length} scheduled quer${plan.queries.length === 1 ? 'y' : 'ies'}`,
  )
}
