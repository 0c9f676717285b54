import type { ConfigurationProfile } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import {
  ALL_HOSTS,
  hostProfileStatusText,
  isBroken,
  osSettingsHostsLink,
  profileHostsLink,
  profileKind,
  profileScope,
  uploadBody,
  uploadProblems,
  worstStatus,
} from './os-settings.js'

const base: ConfigurationProfile = {
  profile_uuid: 'a4f1',
  team_id: null,
  name: 'Wi-Fi',
  platform: 'darwin',
  identifier: 'com.example.wifi',
  created_at: '2026-12-07T10:00:00Z',
  updated_at: '2026-12-07T10:00:00Z',
}

describe('OS settings rules', () => {
  it('names the kind from the uuid prefix', () => {
    expect(profileKind(base)).toBe('.mobileconfig')
    expect(profileKind({ profile_uuid: 'd9' })).toBe('Declaration (DDM)')
  })

  it('reads the label scope and whether a deleted label broke it', () => {
    expect(profileScope(base)).toBeUndefined()
    expect(profileScope({ ...base, labels_include_all: [] })).toBeUndefined()
    const scoped = { ...base, labels_exclude_any: [{ name: 'Kiosks', id: 3 }] }
    expect(profileScope(scoped)).toEqual({
      mode: 'Exclude any',
      labels: [{ name: 'Kiosks', id: 3 }],
    })
    expect(isBroken(scoped)).toBe(false)
    const broken = { ...base, labels_include_any: [{ name: 'Gone', broken: true }, { name: 'Ok' }] }
    expect(profileScope(broken)?.mode).toBe('Include any')
    expect(isBroken(broken)).toBe(true)
  })

  it('asks for a file, and for labels when the target is custom', () => {
    expect(uploadProblems(undefined, ALL_HOSTS)).toEqual(['Choose a .mobileconfig or .json file.'])
    expect(uploadProblems({ name: 'a.mobileconfig' }, ALL_HOSTS)).toEqual([])
    const custom = { target: 'custom', mode: 'labels_include_any', labels: [] } as const
    expect(uploadProblems({ name: 'a.json' }, custom)).toEqual([
      'Choose at least one label, or target all hosts.',
    ])
    expect(uploadProblems({ name: 'a.json' }, { ...custom, labels: ['A'] })).toEqual([])
  })

  it('builds the upload body with the team (0: No team) and only the chosen mode', () => {
    const file = { name: 'wifi.mobileconfig', text: '<plist/>' }
    expect(uploadBody(file, undefined, ALL_HOSTS)).toEqual({
      profile: '<plist/>',
      'profile.filename': 'wifi.mobileconfig',
      team_id: 0,
    })
    expect(
      uploadBody(file, 4, { target: 'custom', mode: 'labels_exclude_any', labels: ['A', 'B'] }),
    ).toEqual({
      profile: '<plist/>',
      'profile.filename': 'wifi.mobileconfig',
      team_id: 4,
      labels_exclude_any: ['A', 'B'],
    })
    // Labels ticked before switching back to "All hosts" are not sent.
    expect(uploadBody(file, 4, { ...ALL_HOSTS, labels: ['A'] })).not.toHaveProperty(
      'labels_include_all',
    )
  })

  it("links to the hosts page filtered by status, on the page's team", () => {
    expect(osSettingsHostsLink('failed', 2)).toBe('/hosts/manage?team_id=2&os_settings=failed')
    expect(osSettingsHostsLink('verified', undefined)).toBe(
      '/hosts/manage?team_id=0&os_settings=verified',
    )
    expect(profileHostsLink('a1', 'pending', 3)).toBe(
      '/hosts/manage?team_id=3&profile_uuid=a1&profile_status=pending',
    )
  })

  it("decides a host's OS settings status by its worst profile; not sent counts as pending", () => {
    expect(worstStatus([])).toBeUndefined()
    expect(worstStatus([{ status: 'verified' }, { status: 'verifying' }])).toBe('verifying')
    expect(worstStatus([{ status: 'verified' }, { status: null }])).toBe('pending')
    expect(worstStatus([{ status: 'failed' }, { status: null }, { status: 'verified' }])).toBe(
      'failed',
    )
    expect(worstStatus([{ status: 'verified' }])).toBe('verified')
  })

  it('names a host profile status, saying when it is being removed', () => {
    expect(hostProfileStatusText({ status: null, operation_type: 'install' })).toBe('Pending')
    expect(hostProfileStatusText({ status: 'failed', operation_type: 'install' })).toBe('Failed')
    expect(hostProfileStatusText({ status: 'verifying', operation_type: 'remove' })).toBe(
      'Verifying (removing)',
    )
  })
})
