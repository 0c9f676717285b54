import { execFileSync, spawn } from 'node:child_process'
import { createServer, connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { refuseInUnitTests, UnitTestViolation } from './unit-guard.js'

// Runs in the `unit` project, whose setup file installs the guard.
describe('the unit project’s guard', () => {
  it('refuses to listen on or connect to a socket', () => {
    expect(() => createServer().listen(0)).toThrow(UnitTestViolation)
    expect(() => connect(3306, '127.0.0.1')).toThrow(UnitTestViolation)
  })

  it('refuses to start a process', () => {
    expect(() => spawn(process.execPath, ['-e', ''])).toThrow(UnitTestViolation)
    expect(() => execFileSync(process.execPath, ['-e', ''])).toThrow(UnitTestViolation)
  })

  it('refuses what test helpers mark as integration-only, e.g. a test database', () => {
    expect(() => refuseInUnitTests('open a test database')).toThrow(/open a test database/)
  })
})
