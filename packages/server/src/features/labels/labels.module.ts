import type { FeatureModule } from '../../modules/index.js'
import { createLabelQueryProvider } from './label-queries.js'
import { registerLabelRoutes } from './labels.routes.js'

/** Labels (built-in, dynamic, manual); dynamic ones are asked of hosts at check-in. */
export const labelsModule: FeatureModule = {
  name: 'labels',
  build: ({ deps }) => {
    const provider = createLabelQueryProvider(deps)
    return {
      routes: (r) => registerLabelRoutes(r, { deps }),
      agentQueryProviders: [provider],
      subscriptions: provider.subscriptions,
    }
  },
}
