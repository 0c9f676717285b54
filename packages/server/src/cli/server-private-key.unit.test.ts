import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../config/index.js'
import { withEmbeddedPrivateKey } from './server-private-key.js'

const configIn = (dataDir: string, flags: Record<string, string> = {}) =>
  loadConfig({ env: {}, flags: { data_dir: dataDir, ...flags } })

describe('withEmbeddedPrivateKey', () => {
  it('generates a key once into the data directory (0600) and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-key-'))
    const first = withEmbeddedPrivateKey(configIn(dir), true).server.private_key
    expect(first.length).toBeGreaterThanOrEqual(32)
    expect(readFileSync(join(dir, 'server_private_key'), 'utf8').trim()).toBe(first)
    expect(statSync(join(dir, 'server_private_key')).mode & 0o777).toBe(0o600)
    expect(withEmbeddedPrivateKey(configIn(dir), true).server.private_key).toBe(first)
  })

  it('leaves a configured key, and MySQL/PostgreSQL deployments, alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-key-'))
    const configured = configIn(dir, { 'server.private_key': 'c'.repeat(32) })
    expect(withEmbeddedPrivateKey(configured, true).server.private_key).toBe('c'.repeat(32))
    expect(withEmbeddedPrivateKey(configIn(dir), false).server.private_key).toBe('')
  })

  it('refuses a configured key shorter than 32 characters', () => {
    expect(() => configIn('/tmp', { 'server.private_key': 'short' })).toThrow('32 characters')
  })
})
