// Breaks features-not-to-outer-layers twice: a feature imports neither protocols/ nor cron/.
// Breaks routes-not-to-stores: routes call the service, never a store.
import { distributedRead } from '../../protocols/osquery/distributed.js'
import { everyMinute } from '../../cron/schedule.js'
import { findTeam } from './teams.store.js'

export const routes = [distributedRead, everyMinute, findTeam]
