import { describe, expect, it } from 'vitest'
import {
  hostListQuery,
  parseHostListParams,
  toHostListParams,
  withFilter,
} from './host-list-params.js'

describe('manage hosts URL state', () => {
  it('round-trips through the URL with Fleet parameter names, leaving defaults out', () => {
    const url =
      'team_id=2&query=web&status=online&label_id=7&order_key=seen_time&order_direction=desc&page=3&per_page=50'
    const state = parseHostListParams(new URLSearchParams(url))
    expect(state).toEqual({
      query: 'web',
      status: 'online',
      teamId: 2,
      labelId: 7,
      policyId: undefined,
      policyResponse: '',
      mdmEnrollmentStatus: '',
      osSettings: '',
      profileUuid: undefined,
      profileStatus: '',
      orderKey: 'seen_time',
      orderDirection: 'desc',
      page: 3,
      perPage: 50,
    })
    expect(toHostListParams(state).toString()).toBe(url)
    expect(toHostListParams(parseHostListParams(new URLSearchParams())).toString()).toBe('')
  })

  it('ignores values the server would refuse', () => {
    const state = parseHostListParams(
      new URLSearchParams('status=sleeping&team_id=-1&page=x&per_page=99999&order_key=password'),
    )
    expect(state).toMatchObject({
      status: '',
      teamId: undefined,
      page: 0,
      perPage: 20,
      orderKey: 'display_name',
    })
  })

  it('keeps the policy filter of the dashboard links', () => {
    const state = parseHostListParams(new URLSearchParams('policy_id=4&policy_response=failing'))
    expect(hostListQuery(state)).toMatchObject({ policy_id: 4, policy_response: 'failing' })
    expect(toHostListParams(state).toString()).toBe('policy_id=4&policy_response=failing')
  })

  it('goes back to the first page when a filter changes, not when the page does', () => {
    const state = parseHostListParams(new URLSearchParams('page=4'))
    expect(withFilter(state, { status: 'offline' }).page).toBe(0)
    expect(withFilter(state, { page: 5 }).page).toBe(5)
  })

  it('asks the server for one sorted page', () => {
    const state = parseHostListParams(new URLSearchParams('query=db&page=1'))
    expect(hostListQuery(state)).toEqual({
      query: 'db',
      status: undefined,
      team_id: undefined,
      label_id: undefined,
      policy_id: undefined,
      policy_response: undefined,
      mdm_enrollment_status: undefined,
      os_settings: undefined,
      profile_uuid: undefined,
      profile_status: undefined,
      order_key: 'display_name',
      order_direction: 'asc',
      page: 1,
      per_page: 20,
    })
  })

  it("keeps the MDM filters of Controls' links, and drops values the server would refuse", () => {
    const url =
      'team_id=0&mdm_enrollment_status=manual&os_settings=failed&profile_uuid=a1b2-c3&profile_status=pending'
    const state = parseHostListParams(new URLSearchParams(url))
    expect(state).toMatchObject({
      teamId: 0,
      mdmEnrollmentStatus: 'manual',
      osSettings: 'failed',
      profileUuid: 'a1b2-c3',
      profileStatus: 'pending',
    })
    expect(toHostListParams(state).toString()).toBe(url)
    expect(hostListQuery(state)).toMatchObject({
      team_id: 0,
      mdm_enrollment_status: 'manual',
      os_settings: 'failed',
      profile_uuid: 'a1b2-c3',
      profile_status: 'pending',
    })
    const bad = parseHostListParams(
      new URLSearchParams(
        'mdm_enrollment_status=on&os_settings=great&profile_uuid=x;drop&profile_status=failed',
      ),
    )
    expect(bad).toMatchObject({ mdmEnrollmentStatus: '', osSettings: '', profileUuid: undefined })
    // A status without its profile filters nothing, so it is not sent.
    expect(hostListQuery(bad).profile_status).toBeUndefined()
  })
})
