import { describe, expect, it } from 'vitest'
import { fleetdRunCommand, shellWord } from './fleetd-command.js'

describe('fleetdRunCommand', () => {
  it('writes the run command with the URL and secret', () => {
    expect(
      fleetdRunCommand({ fleetUrl: 'https://fleet.example.com:8412', enrollSecret: 'abc123' }),
    ).toBe('fleetd run --fleet-url https://fleet.example.com:8412 --enroll-secret abc123')
  })
  it('adds the certificate file when the server needs one', () => {
    expect(
      fleetdRunCommand({
        fleetUrl: 'https://localhost:8412',
        enrollSecret: 's',
        certificateFile: '/etc/fleet/server ca.pem',
      }),
    ).toBe(
      "fleetd run --fleet-url https://localhost:8412 --enroll-secret s --fleet-certificate '/etc/fleet/server ca.pem'",
    )
  })
  it('quotes secrets a shell would otherwise read', () => {
    expect(shellWord('a$b')).toBe("'a$b'")
    expect(shellWord("it's")).toBe(`'it'\\''s'`)
    expect(shellWord('a;rm -rf /')).toBe("'a;rm -rf /'")
    expect(shellWord('plain-Secret_1')).toBe('plain-Secret_1')
  })
})
