import { translate as translateEndpoint } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import { translate } from './translator.service.js'

export function registerTranslatorRoutes(r: EndpointRegistrar, { deps }: { deps: Deps }): void {
  registerEndpoint(r, translateEndpoint, async ({ body }, ctx) => ({
    list: await translate(deps, ctx, body.list ?? []),
  }))
}
