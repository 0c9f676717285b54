import type { TeamDirectory } from '../users/index.js'
import * as store from './teams.store.js'

/** How users reads team names (users can't import teams: teams depends on users). */
export const teamDirectory: TeamDirectory = {
  byIds: async (db, ids) => new Map((await store.teamInfos(db, ids)).map((t) => [t.id, t])),
  all: (db) => store.teamInfos(db),
}
