import { applySecretVariables } from '@fleet/api'
import type { Db } from '../../db/database.js'
import { defineService, provide, type FeatureModule } from '../../modules/index.js'
import { registerEndpoint } from '../../platform/http/index.js'
import { createSecretBox } from '../../platform/secret-box.js'
import { referencedSecrets } from './secret-variable.js'
import * as service from './secret-variables.service.js'

/** What other features use: check references at upload, expand them when serving, hear changes. */
export interface SecretVariables {
  /** Names (without prefix) `text` references that are not stored. */
  missing(db: Db, text: string): Promise<string[]>
  /** `text` with its references replaced by the values. */
  expand(text: string): Promise<string>
  /** Runs `listener` in the transaction of every write that changed values. */
  onChange(listener: service.SecretsChangedListener): void
}

export const SECRET_VARIABLES = defineService<SecretVariables>('secret variables')

/** Fleet's secret variables (`$FLEET_SECRET_*`): stored sealed, written by GitOps. */
export const secretVariablesModule: FeatureModule = {
  name: 'secret-variables',
  build: ({ deps }) => {
    const key = deps.config.server.private_key
    const s: service.SecretsDeps = {
      deps,
      box: key ? createSecretBox(key) : undefined,
      listeners: [],
    }
    const api: SecretVariables = {
      missing: (db, text) => service.missingSecrets(db, referencedSecrets(text)),
      expand: (text) => service.expandSecrets(s, text, referencedSecrets(text)),
      onChange: (listener) => {
        s.listeners.push(listener)
      },
    }
    return {
      provides: [provide(SECRET_VARIABLES, api)],
      routes: (r) =>
        registerEndpoint(r, applySecretVariables, async ({ body }, ctx) => {
          await service.applySecrets(s, ctx, {
            secrets: body.secrets,
            dryRun: body.dry_run ?? false,
          })
          return {}
        }),
    }
  },
}
