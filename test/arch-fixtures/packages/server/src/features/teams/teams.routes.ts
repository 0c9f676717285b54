// Breaks features-not-to-outer-layers twice: a feature imports neither protocols/ nor cron/.
import { distributedRead } from '../../protocols/osquery/distributed.js'
import { everyMinute } from '../../cron/schedule.js'

export const routes = [distributedRead, everyMinute]
