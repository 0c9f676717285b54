import type { Deps } from '../../deps.js'
import { licenseInfo, type AppConfigService } from '../../features/app-config/index.js'
import type { DeviceSources } from '../../features/hosts/index.js'
import { labelsOfHost } from '../../features/labels/index.js'
import { hostPolicySources } from '../../features/policies/index.js'

/**
 * What the device API reads from other features: the app config (cached), host labels, and the
 * host's policies with its responses.
 */
export function createDeviceSources(
  deps: Pick<Deps, 'db'>,
  appConfig: AppConfigService,
): DeviceSources {
  const policies = hostPolicySources(deps.db)
  return {
    hostLabels: (hostId) => labelsOfHost(deps.db, hostId),
    policies: (host) => policies.devicePolicies(host),
    settings: async () => {
      const config = await appConfig.current()
      return {
        orgName: config.org_info.org_name,
        orgLogoUrl: config.org_info.org_logo_url,
        orgLogoUrlLightBackground: config.org_info.org_logo_url_light_background,
        contactUrl: config.org_info.contact_url,
        transparencyUrl: config.fleet_desktop.transparency_url,
        enableSoftwareInventory: config.features.enable_software_inventory,
        license: licenseInfo(config.org_info.org_name),
      }
    },
  }
}
