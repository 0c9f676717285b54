import { defineService, provide, type FeatureModule } from '../../modules/index.js'
import { APP_CONFIG, type AppConfigService } from '../app-config/index.js'
import { registerQueryRoutes } from './queries.routes.js'
import { registerScheduleRoutes } from './schedule.routes.js'
import {
  createQuerySchedule,
  type QuerySchedule,
  type ReportSettingsSource,
} from './query-schedule.js'

/** Saved queries in memory, as osquery packs (see `createQuerySchedule`). */
export const QUERY_SCHEDULE = defineService<QuerySchedule>('query schedule')
/** Whether query reports are kept, and how many rows each (from the cached app config). */
export const QUERY_REPORT_SETTINGS = defineService<ReportSettingsSource>('query report settings')

/** Fleet's default when `server_settings.query_report_cap` is unset (0). */
const DEFAULT_QUERY_REPORT_CAP = 1000

/** Query report settings from the (cached) app config. */
function queryReportSettings(appConfig: Pick<AppConfigService, 'current'>): ReportSettingsSource {
  return async () => {
    const { server_settings: settings } = await appConfig.current()
    return {
      disabled: settings.query_reports_disabled,
      cap: settings.query_report_cap > 0 ? settings.query_report_cap : DEFAULT_QUERY_REPORT_CAP,
    }
  }
}

/** Saved queries, the schedule hosts receive as packs, and query reports. */
export const queriesModule: FeatureModule = {
  name: 'queries',
  build: ({ deps, use }) => {
    const reportSettings = queryReportSettings(use(APP_CONFIG))
    const schedule = createQuerySchedule(deps, reportSettings)
    return {
      provides: [provide(QUERY_SCHEDULE, schedule), provide(QUERY_REPORT_SETTINGS, reportSettings)],
      routes: (r) => {
        registerQueryRoutes(r, { deps, reportSettings })
        registerScheduleRoutes(r, { deps })
      },
      subscriptions: schedule.subscriptions,
    }
  },
}
