import { defineService, provide, type FeatureModule } from '../../modules/index.js'
import { createSecretBox, type SecretBox } from '../../platform/secret-box.js'
import { APP_CONFIG } from '../app-config/index.js'
import type { AppleMdmAssets } from './apple-mdm-assets.js'
import { createAssetSource } from './mdm-assets.js'
import { registerMdmSetupRoutes } from './mdm-setup.routes.js'

/**
 * The Apple MDM assets other MDM features use: `current()` gives the push certificate + key +
 * topic (APNs pusher), the SCEP CA (SCEP, `Mdm-Signature` verification, profile signing) and the
 * SCEP challenge; each undefined while MDM is not set up.
 */
export interface AppleMdm {
  current(): Promise<AppleMdmAssets>
  /** The server's sealer, undefined without `server.private_key`. */
  readonly box: SecretBox | undefined
}

export const APPLE_MDM = defineService<AppleMdm>('Apple MDM assets')

/** Apple MDM set-up: the APNs certificate, its key, the SCEP CA and challenge. */
export const mdmSetupModule: FeatureModule = {
  name: 'mdm-setup',
  build: ({ deps, use }) => {
    const key = deps.config.server.private_key
    const box = key ? createSecretBox(key) : undefined
    const assets = createAssetSource(deps, box)
    const setup = { deps, appConfig: use(APP_CONFIG), box, assets }
    return {
      provides: [provide(APPLE_MDM, { current: () => assets.current(), box })],
      routes: (r) => registerMdmSetupRoutes(r, { setup }),
      subscriptions: assets.subscriptions,
    }
  },
}
