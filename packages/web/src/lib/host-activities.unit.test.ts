import { describe, expect, it } from 'vitest'
import { concernsHost } from './host-activities.js'

describe('concernsHost', () => {
  const host = { id: 7, hardware_serial: 'C02XYZ' }
  it('finds the host by id, among ids, or by serial', () => {
    expect(concernsHost({ details: { host_id: 7 } }, host)).toBe(true)
    expect(concernsHost({ details: { host_ids: [3, 7] } }, host)).toBe(true)
    expect(concernsHost({ details: { host_serial: 'C02XYZ' } }, host)).toBe(true)
  })
  it('ignores other hosts, missing details and empty serials', () => {
    expect(concernsHost({ details: { host_id: 8, host_ids: [8] } }, host)).toBe(false)
    expect(concernsHost({ details: null }, host)).toBe(false)
    expect(concernsHost({ details: { host_id: '7' } }, host)).toBe(false)
    expect(concernsHost({ details: { host_serial: '' } }, { id: 1, hardware_serial: '' })).toBe(
      false,
    )
  })
})
