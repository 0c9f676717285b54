import type { Deps } from '../../deps.js'
import type { Log } from '../../platform/logger.js'
import type { SecretBox } from '../../platform/secret-box.js'
import type { AppConfigService } from '../app-config/index.js'
import type { AbmCredentials } from './abm-token-file.js'
import type { DepClient } from './dep-client.js'

/** What the device sync and the profile assignment need. */
export interface DepSyncDeps {
  deps: Pick<Deps, 'db' | 'clock'>
  log: Log
  box: SecretBox | undefined
  depClient(credentials: AbmCredentials): DepClient
  appConfig: Pick<AppConfigService, 'current'>
}
