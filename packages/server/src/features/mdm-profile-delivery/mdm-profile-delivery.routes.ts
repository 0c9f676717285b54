import {
  batchResendConfigurationProfile,
  getConfigurationProfileStatus,
  listHostConfigurationProfiles,
  resendHostConfigurationProfile,
} from '@fleet/api'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import * as service from './mdm-profile-delivery.service.js'

export function registerDeliveryRoutes(
  r: EndpointRegistrar,
  { deps }: { deps: service.DeliveryDeps },
): void {
  registerEndpoint(r, getConfigurationProfileStatus, ({ params }, ctx) =>
    service.profileStatus(deps, ctx, params.profile_uuid),
  )
  registerEndpoint(r, listHostConfigurationProfiles, ({ params }, ctx) =>
    service.hostProfiles(deps, ctx, params.id),
  )
  registerEndpoint(r, resendHostConfigurationProfile, async ({ params }, ctx) => {
    await service.resendToHost(deps, ctx, params.host_id, params.profile_uuid)
    return {}
  })
  registerEndpoint(r, batchResendConfigurationProfile, async ({ body }, ctx) => {
    await service.resendFailed(deps, ctx, body.profile_uuid)
    return {}
  })
}
