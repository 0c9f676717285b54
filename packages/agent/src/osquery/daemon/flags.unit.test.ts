import { describe, expect, it } from 'vitest'
import { FlagError, parseFlags, readFlagfile } from './flags.js'

const noFiles = (path: string): string => {
  throw new Error(`ENOENT: ${path}`)
}

const files =
  (map: Record<string, string>) =>
  (path: string): string => {
    const text = map[path]
    if (text === undefined) {
      throw new Error(`ENOENT: ${path}`)
    }
    return text
  }

describe('parseFlags', () => {
  it('starts from osquery defaults', () => {
    const { flags } = parseFlags([], noFiles)
    expect(flags.get('distributed_interval')).toBe('60')
    expect(flags.get('logger_tls_period')).toBe('4')
    expect(flags.get('logger_tls_max_lines')).toBe('1024')
    expect(flags.get('config_refresh')).toBe('0')
    expect(flags.get('pack_delimiter')).toBe('_')
    expect(flags.get('host_identifier')).toBe('hostname')
    expect(flags.bool('disable_distributed')).toBe(true)
    expect(flags.get('logger_plugin')).toBe('filesystem')
    expect(flags.get('database_path')).toBe('/var/osquery/osquery.db')
    expect(flags.bool('tls_insecure')).toBe(false)
  })

  it('accepts --name=value, --name value, -name, boolean --name and --noname', () => {
    const { flags, positional } = parseFlags(
      [
        '--tls_hostname=fleet.example.com:8080',
        '--config_refresh',
        '60',
        '-distributed_interval=5',
        '--force',
        '--verbose=false',
        '--nodisable_distributed',
        'stray',
      ],
      noFiles,
    )
    expect(flags.get('tls_hostname')).toBe('fleet.example.com:8080')
    expect(flags.int('config_refresh')).toBe(60)
    expect(flags.int('distributed_interval')).toBe(5)
    expect(flags.bool('force')).toBe(true)
    expect(flags.bool('verbose')).toBe(false)
    expect(flags.bool('disable_distributed')).toBe(false)
    expect(positional).toEqual(['stray'])
  })

  it('does not let a boolean flag swallow the next argument', () => {
    const { flags } = parseFlags(['--force', '--pidfile', '/tmp/x.pid'], noFiles)
    expect(flags.bool('force')).toBe(true)
    expect(flags.get('pidfile')).toBe('/tmp/x.pid')
  })

  it('accepts every flag orbit passes, in its order, later flags winning', () => {
    const { flags } = parseFlags(
      [
        '--pidfile=/opt/orbit/osquery.pid',
        '--extensions_socket=/opt/orbit/orbit-osquery.em',
        '--logger_path=/opt/orbit/osquery_log',
        '--enroll_secret_env',
        'ENROLL_SECRET',
        '--host_identifier=uuid',
        '--tls_hostname=fleet.example.com',
        '--enroll_tls_endpoint=/api/v1/osquery/enroll',
        '--config_plugin=tls',
        '--config_tls_endpoint=/api/v1/osquery/config',
        '--config_refresh=60',
        '--disable_distributed=false',
        '--distributed_plugin=tls',
        '--distributed_tls_max_attempts=10',
        '--distributed_tls_read_endpoint=/api/v1/osquery/distributed/read',
        '--distributed_tls_write_endpoint=/api/v1/osquery/distributed/write',
        '--logger_plugin=tls',
        '--logger_tls_endpoint=/api/v1/osquery/log',
        '--disable_carver=false',
        '--carver_disable_function=false',
        '--carver_start_endpoint=/api/v1/osquery/carve/begin',
        '--carver_continue_endpoint=/api/v1/osquery/carve/block',
        '--carver_block_size=2000000',
        '--tls_server_certs',
        '/opt/orbit/certs.pem',
        '--augeas_lenses',
        '/opt/orbit/lenses',
        '--force',
        '--verbose',
        '--tls_dump',
        '--host-identifier',
        'instance',
        '--database_path',
        '/opt/orbit/osquery.db',
        '--tls_insecure',
      ],
      noFiles,
    )
    expect(flags.unknown.size).toBe(0)
    expect(flags.get('enroll_secret_env')).toBe('ENROLL_SECRET')
    expect(flags.get('host_identifier')).toBe('instance')
    expect(flags.int('distributed_tls_max_attempts')).toBe(10)
    expect(flags.bool('disable_carver')).toBe(false)
    expect(flags.get('tls_server_certs')).toBe('/opt/orbit/certs.pem')
    expect(flags.bool('tls_dump')).toBe(true)
    expect(flags.bool('tls_insecure')).toBe(true)
  })

  it('reads a flagfile in place: comments, blank lines, and later flags override it', () => {
    const read = files({
      '/etc/osquery.flags': [
        '# managed by Fleet',
        '',
        '  --distributed_interval=30',
        '--logger_tls_period 15',
        'not-a-flag',
        '--flagfile=/etc/nested.flags',
      ].join('\n'),
      '/etc/nested.flags': '--pack_delimiter=/\r\n--watchdog_level=-1\n',
    })
    const { flags } = parseFlags(
      ['--distributed_interval=5', '--flagfile', '/etc/osquery.flags', '--logger_tls_period=2'],
      read,
    )
    expect(flags.int('distributed_interval')).toBe(30)
    expect(flags.int('logger_tls_period')).toBe(2)
    expect(flags.get('pack_delimiter')).toBe('/')
    expect(flags.int('watchdog_level')).toBe(-1)
    expect(flags.get('flagfile')).toBe('/etc/nested.flags')
  })

  it('records unknown flags instead of failing', () => {
    const { flags } = parseFlags(
      ['--some_future_flag=1', '--another_one', 'value', '--lonely', '--force'],
      noFiles,
    )
    expect([...flags.unknown]).toEqual(['some_future_flag', 'another_one', 'lonely'])
    expect(flags.asMap().get('some_future_flag')).toBe('1')
    expect(flags.asMap().get('another_one')).toBe('value')
    expect(flags.asMap().get('lonely')).toBe('true')
    expect(flags.bool('force')).toBe(true)
  })

  it('refuses what gflags refuses: bad numbers, bad booleans, missing values, missing flagfile', () => {
    expect(() => parseFlags(['--distributed_interval=soon'], noFiles)).toThrow(FlagError)
    expect(() => parseFlags(['--logger_tls_period=-1'], noFiles)).toThrow(/uint flag/)
    expect(() => parseFlags(['--force=maybe'], noFiles)).toThrow(/bool flag/)
    expect(() => parseFlags(['--tls_hostname'], noFiles)).toThrow(/missing its argument/)
    expect(() => parseFlags(['--flagfile=/nope'], noFiles)).toThrow(/cannot read flagfile/)
    expect(() => parseFlags(['--nopidfile'], noFiles)).toThrow(/non-bool/)
  })

  it('stops at --', () => {
    const { flags, positional } = parseFlags(['--force', '--', '--verbose'], noFiles)
    expect(flags.bool('verbose')).toBe(false)
    expect(positional).toEqual(['--verbose'])
  })

  it('maps deprecated aliases to their flag', () => {
    const { flags } = parseFlags(['--config_tls_refresh=30', '--logger_tls_max=2048'], noFiles)
    expect(flags.int('config_refresh')).toBe(30)
    expect(flags.int('logger_tls_max_linesize')).toBe(2048)
  })

  it('guards against flagfiles including each other forever', () => {
    const read = files({ '/a': '--flagfile=/b', '/b': '--flagfile=/a' })
    expect(() => parseFlags(['--flagfile=/a'], read)).toThrow(/too deep/)
  })
})

describe('readFlagfile', () => {
  it('keeps values with spaces after the = sign', () => {
    const read = files({ '/f': '--specified_identifier=my host name\n' })
    expect(readFlagfile('/f', read)).toEqual(['--specified_identifier=my host name'])
  })
})

describe('Flags.applyOption (config options)', () => {
  it('sets runtime options, converting JSON values to flag strings', () => {
    const { flags } = parseFlags([], noFiles)
    expect(flags.applyOption('distributed_interval', 10)).toBe('set')
    expect(flags.applyOption('disable_distributed', false)).toBe('set')
    expect(flags.applyOption('pack_delimiter', '/')).toBe('set')
    expect(flags.applyOption('pack_delimiter', '/')).toBe('unchanged')
    expect(flags.int('distributed_interval')).toBe(10)
    expect(flags.bool('disable_distributed')).toBe(false)
    expect(flags.get('pack_delimiter')).toBe('/')
  })

  it('ignores start-up flags, unknown names and wrong types', () => {
    const { flags } = parseFlags(['--tls_hostname=a'], noFiles)
    expect(flags.applyOption('tls_hostname', 'b')).toBe('cli-only')
    expect(flags.applyOption('database_path', '/tmp')).toBe('cli-only')
    expect(flags.applyOption('made_up_option', 1)).toBe('unknown')
    expect(flags.applyOption('distributed_interval', 'often')).toBe('bad-type')
    expect(flags.applyOption('distributed_interval', { n: 1 })).toBe('bad-type')
    expect(flags.get('tls_hostname')).toBe('a')
  })
})
