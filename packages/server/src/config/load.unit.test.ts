import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseDuration } from './duration.js'
import { ConfigError, loadConfig, storageTarget } from './load.js'

function configFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'fleet-config-')), 'fleet.yml')
  writeFileSync(file, text)
  return file
}

describe('loadConfig', () => {
  it('uses Fleet defaults: 0.0.0.0:8080, TLS on, SQLite in the data directory', () => {
    const config = loadConfig({ env: {}, flags: { data_dir: '/var/lib/fleet' } })
    expect(config.server.address).toBe('0.0.0.0:8080')
    expect(config.server.tls).toBe(true)
    expect(storageTarget(config)).toEqual({ dialect: 'sqlite', path: '/var/lib/fleet/fleet.db' })
    expect(Object.isFrozen(config.server)).toBe(true)
  })

  it('layers defaults < file < FLEET_* env < flags', () => {
    const file = configFile(
      'server:\n  address: 127.0.0.1:1000\nmysql:\n  address: db:3306\n  username: fromfile\nlogging:\n  json: true\n',
    )
    const fromFile = loadConfig({ file, env: {}, flags: {} })
    expect(fromFile.server.address).toBe('127.0.0.1:1000')
    expect(fromFile.logging.json).toBe(true)
    const fromEnv = loadConfig({
      file,
      env: {
        FLEET_SERVER_ADDRESS: '127.0.0.1:2000',
        FLEET_MYSQL_USERNAME: 'fromenv',
        FLEET_LOGGING_JSON: 'false',
      },
      flags: {},
    })
    expect(fromEnv.server.address).toBe('127.0.0.1:2000')
    expect(fromEnv.mysql.username).toBe('fromenv')
    expect(fromEnv.logging.json).toBe(false)
    const fromFlags = loadConfig({
      file,
      env: { FLEET_SERVER_ADDRESS: '127.0.0.1:2000' },
      flags: { 'server.address': '127.0.0.1:3000' },
    })
    expect(fromFlags.server.address).toBe('127.0.0.1:3000')
    expect(storageTarget(fromFlags)).toMatchObject({
      dialect: 'mysql',
      host: 'db',
      port: 3306,
      user: 'fromfile',
    })
  })

  it('reads PostgreSQL settings and Go-style durations', () => {
    const config = loadConfig({
      env: { FLEET_POSTGRES_ADDRESS: '10.1.2.3', FLEET_SESSION_DURATION: '2h30m' },
      flags: {},
    })
    expect(storageTarget(config)).toMatchObject({
      dialect: 'postgres',
      host: '10.1.2.3',
      port: 5432,
      database: 'fleet',
    })
    expect(config.session.duration).toBe(9_000_000)
  })

  it('stops on a bad value with one line naming the key, env var and flag', () => {
    expect(() => loadConfig({ env: { FLEET_SERVER_TLS: 'maybe' }, flags: {} })).toThrowError(
      new ConfigError('server.tls', 'expected true or false'),
    )
    const error = (() => {
      try {
        loadConfig({ env: { FLEET_SERVER_ADDRESS: 'nope' }, flags: {} })
      } catch (err) {
        return err
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(ConfigError)
    expect(String((error as Error).message)).toBe(
      'config server.address (FLEET_SERVER_ADDRESS, --server_address): expected host:port',
    )
    expect(String((error as Error).message)).not.toContain('\n')
  })

  it('refuses unknown keys in the file, and both MySQL and PostgreSQL at once', () => {
    expect(() =>
      loadConfig({ file: configFile('mysql:\n  adress: x\n'), env: {}, flags: {} }),
    ).toThrow(/unknown key mysql\.adress/)
    expect(() =>
      loadConfig({ env: { FLEET_MYSQL_ADDRESS: 'a:1', FLEET_POSTGRES_ADDRESS: 'b:2' }, flags: {} }),
    ).toThrow(/set only one of/)
    expect(() => loadConfig({ file: configFile('- a\n- b\n'), env: {}, flags: {} })).toThrow(
      /must be a YAML mapping/,
    )
    expect(() => loadConfig({ file: '/does/not/exist.yml', env: {}, flags: {} })).toThrow(
      /cannot read config file/,
    )
  })

  it('needs both a certificate and a key, or neither', () => {
    expect(() => loadConfig({ env: { FLEET_SERVER_CERT: '/etc/cert.pem' }, flags: {} })).toThrow(
      /server\.key/,
    )
  })
})

describe('parseDuration', () => {
  it.each([
    ['1h', 3_600_000],
    ['90s', 90_000],
    ['120h0m0s', 432_000_000],
    ['5d', 432_000_000],
    ['1.5h', 5_400_000],
    ['0', 0],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })
  it.each(['', 'h', '10', '5 minutes', '1h-'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined()
  })
})
