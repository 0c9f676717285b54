import type { Role } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import type { Subject } from '../../platform/authz/index.js'
import {
  decodeHostIds,
  encodeHostIds,
  keptRows,
  targetableTeams,
  targetMetrics,
  type TargetHost,
} from './live-query.js'

const global = (role: Role): Subject => ({ userId: 1, globalRole: role, teamRoles: new Map() })
const onTeams = (roles: [number, Role][]): Subject => ({
  userId: 2,
  globalRole: null,
  teamRoles: new Map(roles),
})

describe('host id sets', () => {
  it('round-trip compactly, sorted and without duplicates', () => {
    expect(encodeHostIds([])).toBe('')
    expect(decodeHostIds('')).toEqual([])
    const ids = [5, 3, 1_000_000, 4, 3]
    expect(decodeHostIds(encodeHostIds(ids))).toEqual([3, 4, 5, 1_000_000])
    const dense = Array.from({ length: 10_000 }, (_, i) => i + 1)
    expect(encodeHostIds(dense).length).toBeLessThan(20_000)
    expect(decodeHostIds(encodeHostIds(dense))).toEqual(dense)
  })
})

describe('answers', () => {
  it('keep at most 10,000 rows and drop null rows', () => {
    const rows = Array.from({ length: 10_001 }, (_, i) => ({ i: String(i) }))
    expect(keptRows(rows).rows).toHaveLength(10_000)
    expect(keptRows(rows).truncated).toBe(true)
    expect(keptRows([{ a: '1' }])).toEqual({ rows: [{ a: '1' }], truncated: false })
  })
})

describe('metrics', () => {
  it('count targets by status like the host list does', () => {
    const now = 10 * 86_400_000
    const host = (id: number, seenAgoMs: number, createdAgoMs: number): TargetHost => ({
      id,
      hostname: `h${id}`,
      displayName: `h${id}`,
      seenTime: now - seenAgoMs,
      distributedInterval: 10,
      configTlsRefresh: 10,
      createdAt: now - createdAgoMs,
    })
    expect(
      targetMetrics(
        [host(1, 1000, 1000), host(2, 3_600_000, 5 * 86_400_000), host(3, 40 * 86_400_000, 0)],
        now,
      ),
    ).toEqual({
      TotalHosts: 3,
      OnlineHosts: 1,
      OfflineHosts: 2, // the missing host is offline too (Fleet 4.15 on)
      MissingInActionHosts: 1,
      NewHosts: 2,
    })
  })
})

describe('targetable teams', () => {
  it("scopes targets to the teams where the user's role may run the query", () => {
    const user = onTeams([
      [1, 'maintainer'],
      [2, 'observer'],
      [3, 'gitops'],
    ])
    expect(targetableTeams(user, false)).toEqual([1])
    expect(targetableTeams(user, true)).toEqual([1, 2])
    expect(targetableTeams(global('observer'), false)).toEqual([])
    expect(targetableTeams(global('observer'), true)).toBe('all')
  })
})
