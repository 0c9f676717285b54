import {
  CAPABILITIES_HEADER,
  DEFAULT_TRANSPARENCY_URL,
  DEVICE_CAPABILITIES,
  FLEET_API_VERSIONS,
  ORBIT_PATHS,
  getDeviceApiFeatures,
  getDeviceDesktop,
  getDeviceHost,
  getDeviceMacadmins,
  listDeviceMapping,
  listDevicePolicies,
  listDeviceSoftware,
  refetchDeviceHost,
  reportDeviceError,
  type DeviceHostJson,
} from '@fleet/api'
import type { Deps } from '../../deps.js'
import {
  issuesOf,
  presentDetailFields,
  presentHost,
  type DeviceHost,
  type DeviceService,
  type DeviceSettings,
} from '../../features/hosts/index.js'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'

function presentDeviceHost(device: DeviceHost, now: number): DeviceHostJson {
  return {
    ...presentHost(device.host, device.teamName, now, issuesOf(device.failingPolicies)),
    users: device.users,
    ...presentDetailFields(device.host, device.labels, device.orbit),
    dep_assigned_to_fleet: false,
  }
}

function presentOrgInfo(settings: DeviceSettings) {
  return {
    org_name: settings.orgName,
    org_logo_url: settings.orgLogoUrl,
    org_logo_url_light_background: settings.orgLogoUrlLightBackground,
    contact_url: settings.contactUrl,
  }
}

/** The My device page's tabs beyond the host: device mapping, Munki/MDM, software; fleetd errors. */
function registerDeviceInventoryRoutes(r: EndpointRegistrar, device: DeviceService): void {
  registerEndpoint(r, listDeviceMapping, async ({ params }, ctx) => {
    const { hostId, emails } = await device.inventory(ctx, params.token)
    return { host_id: hostId, device_mapping: emails }
  })
  registerEndpoint(r, getDeviceMacadmins, async ({ params }, ctx) => ({
    macadmins: (await device.inventory(ctx, params.token)).macadmins,
  }))
  registerEndpoint(r, listDeviceSoftware, async ({ params }, ctx) => {
    const { software } = await device.inventory(ctx, params.token)
    return {
      software,
      count: software.length,
      meta: { has_next_results: false, has_previous_results: false },
    }
  })
  registerEndpoint(r, reportDeviceError, async ({ params, body }, ctx) => {
    await device.reportError(ctx, params.token, body)
    return {}
  })
}

/**
 * Fleet Desktop's device API under `/api/{latest,v1}/fleet/device/{token}`, authorized by the
 * device token alone (the service marks the request authorized once the token checks out), plus
 * the unauthenticated `HEAD /api/fleet/device/ping`.
 */
export function registerDeviceRoutes(
  r: EndpointRegistrar,
  { device, deps }: { device: DeviceService; deps: Pick<Deps, 'clock'> },
): void {
  registerEndpoint(r, getDeviceHost, async ({ params }, ctx) => {
    const { device: found, settings } = await device.myDevice(ctx, params.token)
    return {
      host: presentDeviceHost(found, deps.clock.now().getTime()),
      org_logo_url: settings.orgLogoUrl,
      org_logo_url_light_background: settings.orgLogoUrlLightBackground,
      org_contact_url: settings.contactUrl,
      license: settings.license,
      global_config: {
        mdm: { enabled_and_configured: false },
        features: { enable_software_inventory: settings.enableSoftwareInventory },
      },
      self_service: false,
    }
  })
  registerEndpoint(r, getDeviceDesktop, async ({ params }, ctx) => {
    const { failingPolicies, settings } = await device.desktop(ctx, params.token)
    return {
      failing_policies_count: failingPolicies,
      self_service: false,
      notifications: { needs_mdm_migration: false, renew_enrollment_profile: false },
      config: { org_info: presentOrgInfo(settings), mdm: { macos_migration: { mode: '' } } },
    }
  })
  registerEndpoint(r, listDevicePolicies, async ({ params }, ctx) => ({
    policies: await device.policies(ctx, params.token),
  }))
  registerEndpoint(r, refetchDeviceHost, async ({ params }, ctx) => {
    await device.refetch(ctx, params.token)
    return {}
  })
  registerEndpoint(r, getDeviceApiFeatures, async ({ params }, ctx) => {
    await device.authenticate(ctx, params.token)
    return { features: {} }
  })
  registerDeviceInventoryRoutes(r, device)

  // HEAD and a redirect don't fit the JSON contract; they are mounted on the same prefixes.
  for (const prefix of FLEET_API_VERSIONS.map((v) => `/api/${v}/fleet`)) {
    r.app.head<{ Params: { token: string } }>(
      `${prefix}/device/:token/ping`,
      async (request, reply) => {
        await device.authenticate(request.ctx, request.params.token)
        return reply.code(200).send()
      },
    )
    r.app.get<{ Params: { token: string } }>(
      `${prefix}/device/:token/transparency`,
      async (request, reply) => {
        const url = await device.transparencyUrl(request.ctx, request.params.token)
        return reply.redirect(url || DEFAULT_TRANSPARENCY_URL, 307)
      },
    )
  }
  r.app.head(ORBIT_PATHS.devicePing, async (_request, reply) =>
    reply.header(CAPABILITIES_HEADER, DEVICE_CAPABILITIES.join(',')).code(200).send(),
  )
}
