import { getConfig, getVersion, modifyConfig } from '@fleet/api'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import { authorize } from '../../platform/authz/index.js'
import { SERVER_VERSION } from '../../version.js'
import type { AppConfigService } from './app-config.service.js'

export function registerAppConfigRoutes(
  r: EndpointRegistrar,
  { appConfig: service }: { appConfig: AppConfigService },
): void {
  registerEndpoint(r, getConfig, (_input, ctx) => service.getConfig(ctx))
  registerEndpoint(r, modifyConfig, ({ body, query }, ctx) =>
    service.modifyConfig(ctx, body, query),
  )
  registerEndpoint(r, getVersion, (_input, ctx) => {
    authorize(ctx.authz, { type: 'version' }, 'read')
    return Promise.resolve({
      version: SERVER_VERSION,
      branch: '',
      revision: '',
      go_version: `node ${process.version}`,
      build_date: '',
      build_user: '',
    })
  })
}
