import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { waitFor } from '@fleet/test-support'
import { describe, expect, it } from 'vitest'
import { osquerydCommand, runOsqueryd, type OsquerydIo } from './index.js'
import { fakeEngine } from './test-fixtures/fake-engine.js'
import { CERT_PATH, startFakeTlsServer } from './test-fixtures/fake-tls-server.js'

function io(overrides: Partial<OsquerydIo> = {}) {
  const out = { stdout: '', stderr: '' }
  let handler: ((signal: string) => void) | undefined
  const value: OsquerydIo = {
    stdout: (text) => void (out.stdout += text),
    stderr: (text) => void (out.stderr += text),
    env: {},
    readText: (path) => readFileSync(path, 'utf8'),
    createEngine: () => fakeEngine({ system_info: [{ hostname: 'h', uuid: 'U' }] }),
    onSignal: (h) => {
      handler = h
      return () => (handler = undefined)
    },
    ...overrides,
  }
  return { io: value, out, signal: (name: string) => handler?.(name) }
}

describe('runOsqueryd', () => {
  it('prints the version and the flag list', async () => {
    const version = io()
    expect(await runOsqueryd(['--version'], version.io)).toBe(0)
    expect(version.out.stdout).toBe('osqueryd version 5.14.1\n')
    const help = io()
    expect(await runOsqueryd(['--help'], help.io)).toBe(0)
    expect(help.out.stdout).toContain('--distributed_interval (uint, default "60")')
    expect(help.out.stdout).toContain('--tls_insecure (bool, default "false")')
  })

  it('exits 1 on flags gflags would refuse', async () => {
    const bad = io()
    expect(await runOsqueryd(['--distributed_interval=often'], bad.io)).toBe(1)
    expect(bad.out.stderr).toBe(
      "ERROR: illegal value 'often' specified for uint flag 'distributed_interval'\n",
    )
  })

  it('runs until SIGTERM, then stops cleanly with exit code 0 and removes the pidfile', async () => {
    const server = await startFakeTlsServer(() => ({ status: 503, body: {} }))
    const dir = mkdtempSync(join(tmpdir(), 'osqueryd-cli-'))
    const run = io({ env: { ENROLL_SECRET: 'x' } })
    const exit = runOsqueryd(
      [
        `--tls_hostname=${server.hostname}`,
        `--tls_server_certs=${CERT_PATH}`,
        '--enroll_secret_env',
        'ENROLL_SECRET',
        '--enroll_tls_endpoint=/enroll',
        '--config_plugin=tls',
        '--config_tls_endpoint=/config',
        `--database_path=${join(dir, 'db')}`,
        `--pidfile=${join(dir, 'pid')}`,
        '--logger_plugin=tls',
        '--unknown_flag=1',
      ],
      run.io,
    )
    await waitFor('the pidfile', () => existsSync(join(dir, 'pid')))
    run.signal('SIGTERM')
    expect(await exit).toBe(0)
    expect(existsSync(join(dir, 'pid'))).toBe(false)
    expect(run.out.stderr).toContain('Unknown flag --unknown_flag')
    await server.close()
  })

  it('exits 1 when a certificate file cannot be read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osqueryd-cli-'))
    const run = io()
    const code = await runOsqueryd(
      [
        '--tls_server_certs=/nonexistent/ca.pem',
        `--database_path=${join(dir, 'db')}`,
        `--pidfile=${join(dir, 'pid')}`,
      ],
      run.io,
    )
    expect(code).toBe(1)
    expect(run.out.stderr).toContain('cannot read --tls_server_certs /nonexistent/ca.pem')
    expect(existsSync(join(dir, 'pid'))).toBe(false)
  })

  it('is a commander command that takes osquery flags as they are', () => {
    const command = osquerydCommand()
    expect(command.name()).toBe('osqueryd')
  })
})
