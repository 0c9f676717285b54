import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { flagfileText, osqueryArgs, type OsqueryArgsInput } from './osquery-args.js'
import { rootDir } from './root-dir.js'

function input(overrides: Partial<OsqueryArgsInput> = {}): OsqueryArgsInput {
  return {
    dir: rootDir(mkdtempSync(join(tmpdir(), 'orbit-args-'))),
    tlsHostname: 'fleet.example.com:8080',
    pathPrefix: '',
    insecure: false,
    ownEngine: true,
    debug: false,
    extra: [],
    ...overrides,
  }
}

describe('osqueryArgs', () => {
  it("passes Fleet's endpoints, the secret by environment and the root-dir files", () => {
    const args = osqueryArgs(input({ pathPrefix: '/fleet', fleetCertificate: '/etc/fleet.pem' }))
    expect(args).toContain('--tls_hostname=fleet.example.com:8080')
    expect(args).toContain('--enroll_secret_env=ENROLL_SECRET')
    expect(args).toContain('--enroll_tls_endpoint=/fleet/api/v1/osquery/enroll')
    expect(args).toContain('--distributed_tls_read_endpoint=/fleet/api/v1/osquery/distributed/read')
    expect(args).toContain('--logger_tls_endpoint=/fleet/api/v1/osquery/log')
    expect(args).toContain('--tls_server_certs=/etc/fleet.pem')
    expect(args.join(' ')).not.toMatch(/secret=|--enroll_secret_path/)
    expect(args.at(-1)).toMatch(/^--database_path=.*osquery\.db$/)
  })

  it('puts the server flagfile after the defaults and identity after the flagfile', () => {
    const base = input({ extra: ['--verbose'] })
    writeFileSync(base.dir.osqueryFlags, '--distributed_interval=5\n')
    const args = osqueryArgs(base)
    const flagfile = args.indexOf(`--flagfile=${base.dir.osqueryFlags}`)
    expect(flagfile).toBeGreaterThan(args.indexOf('--config_refresh=60'))
    expect(args.lastIndexOf('--host_identifier=uuid')).toBeGreaterThan(flagfile)
    expect(args.at(-1)).toBe('--verbose')
  })

  it('asks only fleetd’s own engine to skip TLS verification', () => {
    expect(osqueryArgs(input({ insecure: true }))).toContain('--tls_insecure')
    expect(osqueryArgs(input({ insecure: true, ownEngine: false }))).not.toContain('--tls_insecure')
  })
})

describe('flagfileText', () => {
  it('writes sorted --name=value lines, and nothing for no flags', () => {
    expect(flagfileText({ verbose: true, '--distributed_interval': 5 })).toBe(
      '--distributed_interval=5\n--verbose=true\n',
    )
    expect(flagfileText({})).toBe('')
  })
})
