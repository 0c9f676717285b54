import { describe, expect, it } from 'vitest'
import { orgSettingsPatch, toOrgSettingsForm, type OrgSettingsSource } from './org-settings.js'

const CONFIG: OrgSettingsSource = {
  org_info: { org_name: 'Acme', org_logo_url: '', contact_url: 'https://acme.example/help' },
  server_settings: { server_url: 'https://fleet.acme.example' },
  host_expiry_settings: { host_expiry_enabled: false, host_expiry_window: 0 },
  fleet_desktop: { transparency_url: '' },
  webhook_settings: {
    host_status_webhook: {
      enable_host_status_webhook: false,
      destination_url: '',
      host_percentage: 0,
      days_count: 0,
    },
    activities_webhook: { enable_activities_webhook: false, destination_url: '' },
  },
}

describe('organization settings form', () => {
  it('round-trips the config into a patch of the same values', () => {
    const result = orgSettingsPatch(toOrgSettingsForm(CONFIG))
    expect(result).toEqual({ ok: true, patch: CONFIG })
  })

  it('trims text and turns numbers typed as text into numbers', () => {
    const form = {
      ...toOrgSettingsForm(CONFIG),
      orgName: '  Acme Corp ',
      hostExpiryEnabled: true,
      hostExpiryWindow: ' 30 ',
      hostStatusPercentage: '25',
      hostStatusDays: '3',
    }
    const result = orgSettingsPatch(form)
    expect(result.ok && result.patch).toMatchObject({
      org_info: { org_name: 'Acme Corp' },
      host_expiry_settings: { host_expiry_enabled: true, host_expiry_window: 30 },
      webhook_settings: { host_status_webhook: { host_percentage: 25, days_count: 3 } },
    })
  })

  it('names every number that is not a whole number in range', () => {
    const form = {
      ...toOrgSettingsForm(CONFIG),
      hostExpiryWindow: 'ten',
      hostStatusPercentage: '101',
      hostStatusDays: '-1',
    }
    expect(orgSettingsPatch(form)).toEqual({
      ok: false,
      problems: [
        'Host expiry window must be a whole number of 0 or more.',
        'Percentage of hosts must be a whole number from 0 to 100.',
        'Number of days must be a whole number of 0 or more.',
      ],
    })
    expect(
      orgSettingsPatch({
        ...form,
        hostExpiryWindow: '',
        hostStatusPercentage: '1.5',
        hostStatusDays: '2',
      }),
    ).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('Host expiry'), expect.stringContaining('Percentage')],
    })
  })
})
