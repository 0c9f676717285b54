import { describe, expect, it } from 'vitest'
import { parseDuration, withEnvDefaults } from './query.js'

describe('parseDuration', () => {
  it('reads seconds, minutes, hours and milliseconds', () => {
    expect(parseDuration('30')).toBe(30_000)
    expect(parseDuration('30s')).toBe(30_000)
    expect(parseDuration('2m')).toBe(120_000)
    expect(parseDuration('1h')).toBe(3_600_000)
    expect(parseDuration('1500ms')).toBe(1500)
  })

  it('refuses anything else', () => {
    expect(() => parseDuration('soon')).toThrow('invalid --timeout "soon"')
    expect(() => parseDuration('-5s')).toThrow()
  })
})

describe('withEnvDefaults', () => {
  it("fills flags not given from real fleetctl's environment variables", () => {
    const env = {
      HOSTS: 'a,b',
      LABELS: 'L',
      QUERY: 'SELECT 1',
      QUERYNAME: 'saved',
      TIMEOUT: '5s',
      QUIET: 'true',
      EXIT: '1',
      PRETTY: 'false',
    }
    expect(withEnvDefaults({}, env)).toEqual({
      hosts: 'a,b',
      labels: 'L',
      query: 'SELECT 1',
      queryName: 'saved',
      timeout: '5s',
      quiet: true,
      exit: true,
      pretty: false,
    })
  })

  it('lets the command line win, ignores empty variables and refuses bad booleans', () => {
    const merged = withEnvDefaults({ hosts: 'cli', quiet: false }, { HOSTS: 'env', QUIET: 'true' })
    expect(merged).toMatchObject({ hosts: 'cli', quiet: false })
    expect(withEnvDefaults({}, { LABELS: '' }).labels).toBeUndefined()
    expect(() => withEnvDefaults({}, { EXIT: 'yes' })).toThrow('invalid value "yes" for EXIT')
  })
})
