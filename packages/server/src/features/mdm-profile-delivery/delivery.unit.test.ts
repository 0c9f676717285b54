import { describe, expect, it } from 'vitest'
import {
  errorDetail,
  isProfileNotFound,
  pendingTimeoutDetail,
  planHost,
  repushDue,
  scopeFor,
  verdict,
  type DeliverableProfile,
  type HostProfileState,
  type ScopeLabel,
} from './delivery.js'

const A = 1
const B = 2
const C = 3
const label = (
  labelId: number | null,
  mode: 'all' | 'any' | 'exclude',
  extra = {},
): ScopeLabel => ({
  labelId,
  exclude: mode === 'exclude',
  requireAll: mode === 'all',
  labelCreatedAt: 1000,
  ...extra,
})
const host = (labels: number[], labelUpdatedAt = 5000) => ({
  labelIds: new Set(labels),
  labelUpdatedAt,
})

describe('scopeFor (label scoping for delivery)', () => {
  it.each([
    ['no labels', [], [], 'applies'],
    ['include all: member of both', [label(A, 'all'), label(B, 'all')], [A, B], 'applies'],
    ['include all: member of one', [label(A, 'all'), label(B, 'all')], [A], 'not-applies'],
    ['include any: member of one', [label(A, 'any'), label(B, 'any')], [B], 'applies'],
    ['include any: member of none', [label(A, 'any'), label(B, 'any')], [C], 'not-applies'],
    ['exclude any: member of none', [label(A, 'exclude'), label(B, 'exclude')], [C], 'applies'],
    ['exclude any: member of one', [label(A, 'exclude'), label(B, 'exclude')], [B], 'not-applies'],
    ['include any + exclude (#32073)', [label(A, 'any'), label(C, 'exclude')], [A], 'applies'],
    ['include any + excluded', [label(A, 'any'), label(C, 'exclude')], [A, C], 'not-applies'],
  ] as const)('%s', (_name, labels, member, expected) => {
    expect(scopeFor(labels, host([...member]))).toBe(expected)
  })

  it('exclude waits for label results reported after the excluded label was created', () => {
    const labels = [label(C, 'exclude', { labelCreatedAt: 6000 })]
    expect(scopeFor(labels, host([], 5000))).toBe('waiting')
    expect(scopeFor(labels, host([], 6000))).toBe('applies')
    expect(scopeFor(labels, host([], 0))).toBe('waiting')
    // a member is excluded whatever the timing
    expect(scopeFor(labels, host([C], 5000))).toBe('not-applies')
  })

  it('manual labels are exempt from the exclude timing', () => {
    const labels = [label(C, 'exclude', { labelCreatedAt: 6000, manual: true })]
    expect(scopeFor(labels, host([], 0))).toBe('applies')
  })

  it('a deleted label makes the profile broken, whatever the host', () => {
    expect(scopeFor([label(A, 'any'), label(null, 'any')], host([A]))).toBe('broken')
    expect(scopeFor([label(null, 'exclude')], host([]))).toBe('broken')
  })
})

const profile = (uuid: string, checksum = 'c1'): DeliverableProfile => ({
  uuid,
  teamKey: 0,
  identifier: `com.example.${uuid}`,
  name: uuid,
  checksum,
  contents: '<plist/>',
})
const row = (
  profileUuid: string,
  status: string | null,
  operation: 'install' | 'remove' = 'install',
  checksum = 'c1',
): HostProfileState => ({
  profileUuid,
  identifier: `com.example.${profileUuid}`,
  name: profileUuid,
  status,
  operation,
  checksum,
})

describe('planHost (desired vs current)', () => {
  it('installs what is missing, changed, being removed, or marked to send again', () => {
    const plan = planHost(
      [profile('a1'), profile('a2', 'c2'), profile('a3'), profile('a4'), profile('a5')],
      new Set(),
      [
        row('a2', 'verified'),
        row('a3', 'pending', 'remove'),
        row('a4', null),
        row('a5', 'verified'),
      ],
    )
    expect(plan.install.map((p) => p.uuid)).toEqual(['a1', 'a2', 'a3', 'a4'])
    expect(plan.remove).toEqual([])
  })

  it('leaves failed, pending and verifying installs of wanted profiles alone', () => {
    const plan = planHost([profile('a1'), profile('a2'), profile('a3')], new Set(), [
      row('a1', 'failed'),
      row('a2', 'pending'),
      row('a3', 'verifying'),
    ])
    expect(plan).toEqual({ install: [], remove: [], forget: [] })
  })

  it('removes what was sent and is no longer wanted; forgets what never reached the device', () => {
    const plan = planHost([], new Set(), [
      row('a1', 'verified'),
      row('a2', 'pending'),
      row('a3', null),
      row('a4', 'failed'),
      row('a5', 'pending', 'remove'),
    ])
    expect(plan.remove.map((r) => r.profileUuid)).toEqual(['a1', 'a2'])
    expect(plan.forget.map((r) => r.profileUuid)).toEqual(['a3', 'a4'])
  })

  it('keeps broken or waiting profiles as they are: neither installed nor removed', () => {
    const plan = planHost([], new Set(['a1']), [row('a1', 'verified')])
    expect(plan).toEqual({ install: [], remove: [], forget: [] })
  })
})

describe('results and timeouts', () => {
  it('turns an ErrorChain into a detail line', () => {
    const chain = [
      {
        errorCode: 4001,
        errorDomain: 'MCInstallationErrorDomain',
        localizedDescription: 'Profile installation failed.',
        usEnglishDescription: 'Profile installation failed.',
      },
      {
        errorCode: undefined,
        errorDomain: undefined,
        localizedDescription: 'The payload is invalid.',
        usEnglishDescription: undefined,
      },
    ]
    expect(errorDetail(chain, 'Error')).toBe(
      'MCInstallationErrorDomain (4001): Profile installation failed.; The payload is invalid.',
    )
    expect(errorDetail([], 'CommandFormatError')).toBe('the device answered CommandFormatError')
    expect(isProfileNotFound(chain)).toBe(false)
    expect(
      isProfileNotFound([{ ...chain[0]!, errorCode: 89, errorDomain: 'MCProfileErrorDomain' }]),
    ).toBe(true)
  })

  it('says the configured timeout', () => {
    expect(pendingTimeoutDetail(24 * 3_600_000)).toBe('device did not respond in 24 h')
    expect(pendingTimeoutDetail(90 * 60_000)).toBe('device did not respond in 90 min')
    expect(pendingTimeoutDetail(45_000)).toBe('device did not respond in 45 s')
  })

  it('verifies by identifier and PayloadUUID, re-installs once, then fails', () => {
    const installed = new Map([['com.x', { identifier: 'com.x', payloadUuid: 'U1' }]])
    expect(verdict({ identifier: 'com.x', payloadUuid: 'U1', retries: 0 }, installed)).toBe(
      'verified',
    )
    expect(verdict({ identifier: 'com.x', payloadUuid: undefined, retries: 0 }, installed)).toBe(
      'verified',
    )
    expect(verdict({ identifier: 'com.x', payloadUuid: 'U2', retries: 0 }, installed)).toBe(
      'reinstall',
    )
    expect(verdict({ identifier: 'com.y', payloadUuid: 'U1', retries: 0 }, installed)).toBe(
      'reinstall',
    )
    expect(verdict({ identifier: 'com.y', payloadUuid: 'U1', retries: 1 }, installed)).toBe(
      'failed',
    )
  })

  it('re-pushes a waiting host with gaps doubling from 1 min to 1 h', () => {
    const min = 60_000
    expect(repushDue(0, 0, 30_000)).toBe(false)
    expect(repushDue(0, 0, min)).toBe(true)
    expect(repushDue(0, min, 2 * min - 1)).toBe(false)
    expect(repushDue(0, min, 2 * min)).toBe(true)
    expect(repushDue(0, 2 * min, 4 * min)).toBe(true)
    expect(repushDue(0, 4 * min, 7 * min)).toBe(false)
    expect(repushDue(0, 4 * min, 8 * min)).toBe(true)
    expect(repushDue(0, 600 * min, 659 * min)).toBe(false)
    expect(repushDue(0, 600 * min, 660 * min)).toBe(true)
    expect(repushDue(0, null, min)).toBe(true)
  })
})
