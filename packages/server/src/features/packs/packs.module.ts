import { defineService, provide, type FeatureModule } from '../../modules/index.js'
import { createPackSchedule, type PackSchedule } from './pack-schedule.js'
import { registerPackRoutes } from './packs.routes.js'

/** Enabled packs in memory, per host (see `createPackSchedule`). */
export const PACK_SCHEDULE = defineService<PackSchedule>('pack schedule')

/** 2017-style query packs: REST (deprecated in Fleet, still routed), specs, and the agent config. */
export const packsModule: FeatureModule = {
  name: 'packs',
  build: ({ deps }) => {
    const schedule = createPackSchedule(deps)
    return {
      provides: [provide(PACK_SCHEDULE, schedule)],
      routes: (r) => registerPackRoutes(r, { deps }),
      subscriptions: schedule.subscriptions,
    }
  },
}
