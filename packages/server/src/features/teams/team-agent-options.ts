import type { AgentOptions } from '@fleet/api'
import type { Db } from '../../db/database.js'
import { dropKeys, KeyedInvalidatedCache } from '../../platform/pubsub/index.js'
import { TEAMS_CHANGED } from './teams.channels.js'
import * as store from './teams.store.js'

/** Each team's own agent options, in memory (see `createTeamAgentOptionsCache`). */
export type TeamAgentOptionsCache = KeyedInvalidatedCache<number, AgentOptions | null>

/**
 * Each team's own agent options (null: it uses the global ones), for the agent path: loaded once
 * per team and dropped when the team changes on any instance (TEAMS_CHANGED carries its id). No
 * authorization: agents read it about themselves.
 */
export function createTeamAgentOptionsCache(db: Db): TeamAgentOptionsCache {
  return new KeyedInvalidatedCache(
    async (teamId: number) => (await store.findTeam(db, teamId))?.agentOptions ?? null,
    [dropKeys(TEAMS_CHANGED, (teamId) => [teamId])],
  )
}
