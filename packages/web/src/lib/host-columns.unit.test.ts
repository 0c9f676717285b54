import { describe, expect, it } from 'vitest'
import { defaultColumns, parseStoredColumns, reportColumns, toggleColumn } from './host-columns.js'

describe('host columns', () => {
  it('falls back to the defaults for nothing stored or anything unreadable', () => {
    const defaults = defaultColumns()
    expect(defaults).toContain('seen_time')
    expect(defaults).not.toContain('hardware_serial')
    for (const stored of [null, '', 'not json', '{"a":1}', '[]', '["password"]', '[1,2]']) {
      expect(parseStoredColumns(stored)).toEqual(defaults)
    }
  })
  it("keeps the table's order and always the host column", () => {
    expect(parseStoredColumns('["seen_time","status","bogus"]')).toEqual([
      'display_name',
      'status',
      'seen_time',
    ])
  })
  it('toggles a column but never the host column', () => {
    const shown = ['display_name', 'status']
    expect(toggleColumn(shown, 'hardware_serial')).toEqual([
      'display_name',
      'status',
      'hardware_serial',
    ])
    expect(toggleColumn(shown, 'status')).toEqual(['display_name'])
    expect(toggleColumn(shown, 'display_name')).toEqual(shown)
    expect(toggleColumn(shown, 'nope')).toEqual(shown)
  })
  it("names the report's columns for the shown ones", () => {
    expect(reportColumns(['display_name', 'issues', 'seen_time'])).toBe(
      'display_name,failing_policies_count,seen_time',
    )
  })
})
