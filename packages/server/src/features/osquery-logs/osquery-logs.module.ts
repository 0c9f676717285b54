import { defineService, provide, type FeatureModule } from '../../modules/index.js'
import {
  createResultLogProcessor,
  QUERY_REPORT_SETTINGS,
  QUERY_SCHEDULE,
} from '../queries/index.js'
import { createLogSinks, type LogSinks } from './log-destinations.js'
import { createOsqueryLogService, type OsqueryLogService } from './osquery-logs.service.js'

/** Where `/api/osquery/log` sends result and status logs. */
export const OSQUERY_LOGS = defineService<OsqueryLogService>('osquery logs')
/** Sinks to use instead of the configured destinations (tests provide them to `buildServer`). */
export const OSQUERY_LOG_SINKS = defineService<LogSinks>('osquery log sinks')

/**
 * osquery's result and status logs: buffered, written to the configured destinations, and
 * scheduled queries' results kept as query reports. A bad destination setting fails the build,
 * before any module starts.
 */
export const osqueryLogsModule: FeatureModule = {
  name: 'osquery-logs',
  build: ({ deps, use, find }) => {
    const sinks = find(OSQUERY_LOG_SINKS) ?? createLogSinks(deps.config, deps.log)
    const logs = createOsqueryLogService(
      sinks,
      createResultLogProcessor(deps, use(QUERY_SCHEDULE), use(QUERY_REPORT_SETTINGS)),
    )
    return {
      provides: [provide(OSQUERY_LOGS, logs)],
      start: () => sinks.check(),
      stop: () => logs.close(),
    }
  },
}
