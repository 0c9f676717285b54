export { PACK_SCHEDULE, packsModule } from './packs.module.js'
export type { OsqueryPack, PackHost, PackSchedule } from './pack-schedule.js'
export { packRules } from './packs.rules.js'
