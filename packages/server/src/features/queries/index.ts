export { QUERY_REPORT_SETTINGS, QUERY_SCHEDULE, queriesModule } from './queries.module.js'
export {
  createQuerySchedule,
  type QuerySchedule,
  type ReportSettings,
  type ReportSettingsSource,
} from './query-schedule.js'
export { createResultLogProcessor, type LogHost, type ResultLogProcessor } from './result-logs.js'
export { presentQuery } from './queries.routes.js'
export { findQuery, findQueryByName, queriesByIds } from './queries.store.js'
export { QUERIES_CHANGED } from './queries.channels.js'
export type { Pack, PackQuery, SavedQuery } from './query.js'
export { queryRules } from './queries.rules.js'
