import { describe, expect, it } from 'vitest'
import { DESCRIBED_ACTIVITY_TYPES, describeActivity } from './activity-text.js'

const by = (type: string, details: Record<string, unknown> | null, actor: string | null = 'Ana') =>
  describeActivity({ type, details, actor_full_name: actor, fleet_initiated: actor === null })

/** Every activity type `packages/server` records (recordActivity calls), as of this change. */
const SERVER_TYPES = [
  'mdm_enrolled',
  'mdm_unenrolled',
  'created_team',
  'edited_team',
  'deleted_team',
  'applied_spec_team',
  'edited_agent_options',
  'edited_app_config',
  'created_user',
  'edited_user',
  'deleted_user',
  'required_password_reset',
  'changed_user_global_role',
  'deleted_user_global_role',
  'changed_user_team_role',
  'deleted_user_team_role',
  'user_logged_in',
  'user_failed_login',
  'created_policy',
  'edited_policy',
  'deleted_policy',
  'applied_spec_policy',
  'created_saved_query',
  'edited_saved_query',
  'deleted_saved_query',
  'deleted_multiple_saved_query',
  'applied_spec_saved_query',
  'live_query',
  'created_label',
  'edited_label',
  'deleted_label',
  'applied_spec_label',
  'created_pack',
  'edited_pack',
  'deleted_pack',
  'applied_spec_pack',
  'deleted_host',
  'transferred_hosts',
  'edited_enroll_secrets',
  'fleet_enrolled',
  'created_macos_profile',
  'deleted_macos_profile',
  'edited_macos_profile',
  'created_declaration_profile',
  'deleted_declaration_profile',
  'edited_declaration_profile',
]

describe('describeActivity', () => {
  it('words configuration profile activities with their team, or no team', () => {
    expect(by('created_macos_profile', { profile_name: 'Dock', team_name: null })).toBe(
      'Ana added the configuration profile “Dock” to no team.',
    )
    expect(by('deleted_declaration_profile', { profile_name: 'P', team_name: 'T' })).toBe(
      'Ana deleted the declaration (DDM) profile “P” from the “T” team.',
    )
    expect(by('edited_macos_profile', { team_name: 'T' })).toBe(
      'Ana edited the configuration profiles of the “T” team.',
    )
  })

  it('has a sentence for every type the server records', () => {
    expect(SERVER_TYPES.filter((t) => !DESCRIBED_ACTIVITY_TYPES.includes(t))).toEqual([])
    for (const type of SERVER_TYPES) {
      expect(by(type, {}), type).toMatch(/^Ana [a-z].*\.$/)
    }
  })

  it('words the details of common types', () => {
    expect(by('created_policy', { policy_name: 'Disk encrypted', team_name: 'Servers' })).toBe(
      'Ana created the policy “Disk encrypted” on the “Servers” team.',
    )
    expect(by('edited_policy', { policy_name: 'Firewall', team_name: null })).toBe(
      'Ana edited the policy “Firewall”.',
    )
    expect(by('edited_agent_options', { global: true, team_id: null })).toBe(
      'Ana edited the global agent options.',
    )
    expect(by('edited_agent_options', { global: false, team_name: 'Laptops' })).toBe(
      'Ana edited the agent options of the “Laptops” team.',
    )
    expect(by('edited_team', { team_name: 'New', previous_name: 'Old' })).toBe(
      'Ana renamed the team “Old” to “New”.',
    )
    expect(
      by('changed_user_team_role', { user_name: 'Bo', role: 'observer_plus', team_name: 'T' }),
    ).toBe('Ana made Bo observer plus on the “T” team.')
    expect(by('live_query', { targets_count: 1, query_sql: 'SELECT 1' })).toBe(
      'Ana ran a live query on 1 host.',
    )
    expect(by('transferred_hosts', { host_display_names: ['a', 'b'], team_name: null })).toBe(
      'Ana transferred 2 hosts to no team.',
    )
    expect(by('transferred_hosts', { host_display_names: ['mbp'], team_name: 'Servers' })).toBe(
      'Ana transferred the host “mbp” to the “Servers” team.',
    )
  })

  it('names Fleet for what it did itself, and words unknown types from their name', () => {
    expect(by('fleet_enrolled', { host_display_name: 'mbp-12' }, null)).toBe(
      'Fleet enrolled the host “mbp-12” with fleetd.',
    )
    expect(by('installed_software', null)).toBe('Ana: Installed software')
    expect(by('__proto__', null)).toBe('Ana: Proto')
  })

  it('words the MDM check-in activities', () => {
    expect(
      by('mdm_enrolled', { host_display_name: 'Fruit', installed_from_dep: false }, null),
    ).toBe('Fleet turned on MDM for the host “Fruit” (manual enrollment).')
    expect(by('mdm_unenrolled', { host_display_name: 'Fruit' }, null)).toBe(
      'Fleet turned off MDM for the host “Fruit”.',
    )
  })
})
