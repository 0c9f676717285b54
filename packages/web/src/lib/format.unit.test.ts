import { describe, expect, it } from 'vitest'
import { activityText, formatBytes, timeAgo } from './format.js'

describe('format', () => {
  const now = Date.parse('2026-01-10T12:00:00Z')
  it('says how long ago, and "never" for Fleet zero times', () => {
    expect(timeAgo('2026-01-10T11:59:30Z', now)).toBe('just now')
    expect(timeAgo('2026-01-10T11:59:00Z', now)).toBe('1 minute ago')
    expect(timeAgo('2026-01-10T09:00:00Z', now)).toBe('3 hours ago')
    expect(timeAgo('2026-01-08T12:00:00Z', now)).toBe('2 days ago')
    expect(timeAgo('0001-01-01T00:00:00Z', now)).toBe('never')
    expect(timeAgo('garbage', now)).toBe('never')
  })
  it('words activity types and sizes', () => {
    expect(activityText('created_policy')).toBe('Created policy')
    expect(formatBytes(8 * 1024 ** 3)).toBe('8.0 GB')
    expect(formatBytes(512 * 1024 ** 2)).toBe('512.0 MB')
  })
})
