import { provide, type FeatureModule } from '../../modules/index.js'
import { HOST_LABEL_SOURCES } from '../hosts/index.js'
import { createLabelQueryProvider } from './label-queries.js'
import { registerLabelRoutes } from './labels.routes.js'
import { builtinLabels, labelsOfHost } from './labels.store.js'

/** Labels (built-in, dynamic, manual); dynamic ones are asked of hosts at check-in. */
export const labelsModule: FeatureModule = {
  name: 'labels',
  build: ({ deps }) => {
    const provider = createLabelQueryProvider(deps)
    return {
      provides: [
        provide(HOST_LABEL_SOURCES, {
          builtinLabels: () => builtinLabels(deps.db),
          hostLabels: (hostId) => labelsOfHost(deps.db, hostId),
        }),
      ],
      routes: (r) => registerLabelRoutes(r, { deps }),
      agentQueryProviders: [provider],
      subscriptions: provider.subscriptions,
    }
  },
}
