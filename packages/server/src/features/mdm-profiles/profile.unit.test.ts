import { describe, expect, it } from 'vitest'
import { appliesTo } from './profile.js'

const label = (labelId: number | null, mode: 'all' | 'any' | 'exclude') => ({
  labelId,
  exclude: mode === 'exclude',
  requireAll: mode === 'all',
})

describe('appliesTo (label scoping)', () => {
  const host = new Set([1, 2])
  it('no labels: every host of the team', () => {
    expect(appliesTo([], new Set())).toBe(true)
  })
  it('include all: member of every label', () => {
    expect(appliesTo([label(1, 'all'), label(2, 'all')], host)).toBe(true)
    expect(appliesTo([label(1, 'all'), label(3, 'all')], host)).toBe(false)
  })
  it('include any: member of at least one', () => {
    expect(appliesTo([label(3, 'any'), label(2, 'any')], host)).toBe(true)
    expect(appliesTo([label(3, 'any'), label(4, 'any')], host)).toBe(false)
  })
  it('exclude any: member of none', () => {
    expect(appliesTo([label(3, 'exclude')], host)).toBe(true)
    expect(appliesTo([label(3, 'exclude'), label(1, 'exclude')], host)).toBe(false)
  })
  it('a broken (deleted) label: never newly installed', () => {
    expect(appliesTo([label(null, 'exclude')], host)).toBe(false)
    expect(appliesTo([label(1, 'any'), label(null, 'any')], host)).toBe(false)
  })
})
