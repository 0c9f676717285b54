import { defineService, provide, type FeatureModule } from '../../modules/index.js'
import { APP_CONFIG } from '../app-config/index.js'
import { HOST_POLICY_SOURCES } from '../hosts/index.js'
import { findQuery } from '../queries/index.js'
import { createLiveQueries, type LiveQueries } from './create-live-queries.js'
import { registerLiveQueryRoutes } from './live-queries.routes.js'
import { registerLiveQuerySocket } from './live-queries.socket.js'
import type { SavedQuerySource } from './live-query.js'
import { registerTargetRoutes } from './targets.routes.js'

/** Live-query campaigns on this instance (the server exposes them to tests). */
export const LIVE_QUERIES = defineService<LiveQueries>('live queries')

/**
 * Live queries: campaigns asked of hosts at check-in, results streamed over the websocket or
 * collected by synchronous runs, on whichever instance the reader is.
 */
export const liveQueriesModule: FeatureModule = {
  name: 'live-queries',
  build: ({ deps, use, find }) => {
    const appConfig = use(APP_CONFIG)
    const savedQueries: SavedQuerySource = { find: (id) => findQuery(deps.db, id) }
    const live = createLiveQueries(deps, {
      savedQueries,
      liveQueryDisabled: async () =>
        (await appConfig.current()).server_settings.live_query_disabled,
    })
    return {
      provides: [provide(LIVE_QUERIES, live)],
      routes: async (r) => {
        registerLiveQueryRoutes(r, { deps, live })
        registerTargetRoutes(r, { deps, savedQueries, policies: find(HOST_POLICY_SOURCES) })
        await registerLiveQuerySocket(r, { live })
      },
      agentQueryProviders: [live.provider],
      start: () => live.start(),
      stop: () => live.stop(),
    }
  },
}
