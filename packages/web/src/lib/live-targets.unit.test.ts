import { describe, expect, it } from 'vitest'
import {
  addTarget,
  isPicked,
  matchingTargets,
  parseHostIds,
  removeTarget,
  targetCountText,
  targetIds,
  type Target,
} from './live-targets.js'

const host = (id: number, name = `host-${id}`): Target => ({ kind: 'host', id, name })
const label = (id: number, name: string): Target => ({ kind: 'label', id, name })
const team = (id: number, name: string): Target => ({ kind: 'team', id, name })

describe('picking targets', () => {
  it('adds a target once and removes it by kind and id', () => {
    let picked = addTarget([], host(3))
    picked = addTarget(picked, host(3))
    picked = addTarget(picked, label(3, 'All Hosts'))
    expect(picked).toHaveLength(2)
    expect(isPicked(picked, { kind: 'label', id: 3 })).toBe(true)
    picked = removeTarget(picked, { kind: 'host', id: 3 })
    expect(picked).toEqual([label(3, 'All Hosts')])
    expect(isPicked(picked, { kind: 'host', id: 3 })).toBe(false)
  })

  it('asks the server for hosts, labels and teams apart, sorted', () => {
    const picked = [host(9), team(0, 'No team'), label(7, 'Linux'), host(2), team(4, 'Servers')]
    expect(targetIds(picked)).toEqual({ hosts: [2, 9], labels: [7], teams: [0, 4] })
    expect(targetIds([])).toEqual({ hosts: [], labels: [], teams: [] })
  })

  it('suggests labels and teams by name, without the picked ones, up to a limit', () => {
    const candidates = [label(1, 'All Hosts'), label(2, 'macOS'), label(3, 'MS Windows')]
    expect(matchingTargets(candidates, 'ho', []).map((t) => t.id)).toEqual([1])
    expect(matchingTargets(candidates, 'M', []).map((t) => t.id)).toEqual([2, 3])
    expect(matchingTargets(candidates, '', [label(2, 'macOS')]).map((t) => t.id)).toEqual([1, 3])
    expect(matchingTargets(candidates, '', [], 1)).toHaveLength(1)
    expect(matchingTargets(candidates, 'nothing', [])).toEqual([])
  })
})

describe('parseHostIds', () => {
  it('reads the ids of "Query this host", each once', () => {
    expect(parseHostIds('4,2,4')).toEqual([4, 2])
    expect(parseHostIds(' 7 ')).toEqual([7])
  })

  it('ignores what is not a positive id', () => {
    expect(parseHostIds(null)).toEqual([])
    expect(parseHostIds('')).toEqual([])
    expect(parseHostIds('0,-1,abc,1.5,99999999999,3')).toEqual([3])
  })

  it('keeps at most the given number', () => {
    expect(parseHostIds('1,2,3,4', 2)).toEqual([1, 2])
  })
})

describe('targetCountText', () => {
  it('prompts before anything is picked, then counts', () => {
    expect(targetCountText([], undefined)).toBe('Pick hosts, labels or teams to target.')
    expect(targetCountText([host(1)], undefined)).toBe('Counting targets…')
    expect(targetCountText([host(1)], { total: 1, online: 0 })).toBe('1 host targeted (0 online)')
    expect(targetCountText([label(1, 'x')], { total: 12, online: 9 })).toBe(
      '12 hosts targeted (9 online)',
    )
  })
})
