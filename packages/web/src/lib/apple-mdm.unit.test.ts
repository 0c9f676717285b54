import { describe, expect, it } from 'vitest'
import { csrPem, renewalDue, renewalText } from './apple-mdm.js'

const NOW = Date.parse('2026-12-07T12:00:00Z')

describe('Apple MDM set-up helpers', () => {
  it('decodes the CSR to the PEM the portal takes, and refuses anything else', () => {
    const pem = '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n'
    expect(csrPem(btoa(pem))).toBe(pem)
    expect(() => csrPem(btoa('hello'))).toThrow('did not answer a certificate signing request')
  })

  it('says when the push certificate must be renewed, and when it expired', () => {
    expect(renewalText('2027-12-07T12:00:00Z', NOW)).toBe('2027-12-07 (in 365 days)')
    expect(renewalText('2026-12-08T13:00:00Z', NOW)).toBe('2026-12-08 (in 1 day)')
    expect(renewalText('2026-12-05T12:00:00Z', NOW)).toBe(
      '2026-12-05 (expired 2 days ago: renew it now)',
    )
    expect(renewalText('not a date', NOW)).toBe('not a date')
  })

  it('warns within 30 days of the renewal date', () => {
    expect(renewalDue('2027-01-10T00:00:00Z', NOW)).toBe(false)
    expect(renewalDue('2026-12-20T00:00:00Z', NOW)).toBe(true)
    expect(renewalDue('2026-11-01T00:00:00Z', NOW)).toBe(true)
    expect(renewalDue('garbage', NOW)).toBe(false)
  })
})
