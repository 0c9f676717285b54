import { createHash } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { fixtureEngine } from '../test-fixtures/fixture-root.js'

const warnings: string[] = []
const machine = fixtureEngine(
  {
    '/etc/hosts': '127.0.0.1 localhost\n',
    '/etc/hostname': 'web-1\n',
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n',
    '/etc/ssh/sshd_config': 'PermitRootLogin no\n',
    '/etc/localtime': { link: '/usr/share/zoneinfo/UTC' },
    '/usr/share/zoneinfo/UTC': 'TZif2',
    '/home/alice/.ssh/authorized_keys': 'ssh-ed25519 AAAA alice\n',
    '/home/bob/.ssh/id_rsa': 'secret\n',
    '/var/log/app/a.log': 'a',
    '/var/log/app/old/b.log': 'b',
  },
  { onWarning: (message) => warnings.push(message) },
)

afterAll(() => machine.dispose())

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

describe('file', () => {
  it('stats one path', () => {
    const [row] = machine.rows(
      "SELECT path, directory, filename, size, type, symlink, mode FROM file WHERE path = '/etc/hosts'",
    )
    expect(row).toEqual({
      path: '/etc/hosts',
      directory: '/etc',
      filename: 'hosts',
      size: '20',
      type: 'regular',
      symlink: '0',
      mode: expect.stringMatching(/^0[0-7]{3}$/),
    })
  })

  it('lists a directory, filtered by SQLite', () => {
    expect(
      machine.rows(
        "SELECT filename FROM file WHERE directory = '/etc' AND filename LIKE 'host%' ORDER BY filename",
      ),
    ).toEqual([{ filename: 'hostname' }, { filename: 'hosts' }])
  })

  it('expands % within a component and %% recursively', () => {
    expect(
      machine.rows("SELECT path FROM file WHERE path LIKE '/home/%/.ssh/%' ORDER BY path"),
    ).toEqual([{ path: '/home/alice/.ssh/authorized_keys' }, { path: '/home/bob/.ssh/id_rsa' }])
    expect(
      machine.rows(
        "SELECT path FROM file WHERE path LIKE '/var/log/%%' AND type = 'regular' ORDER BY path",
      ),
    ).toEqual([{ path: '/var/log/app/a.log' }, { path: '/var/log/app/old/b.log' }])
  })

  it('accepts IN lists and reports symlinks and their targets', () => {
    const rows = machine.rows(
      "SELECT path, symlink, symlink_target_path FROM file WHERE path IN ('/etc/localtime', '/etc/missing')",
    )
    expect(rows).toEqual([
      { path: '/etc/localtime', symlink: '1', symlink_target_path: '/usr/share/zoneinfo/UTC' },
    ])
  })

  it('fails like osquery without a path or directory constraint', () => {
    warnings.length = 0
    expect(machine.engine.query('SELECT * FROM file')).toEqual({
      status: 1,
      error: 'constraint failed',
    })
    expect(machine.engine.query("SELECT * FROM file WHERE filename = 'hosts'")).toEqual({
      status: 1,
      error: 'constraint failed',
    })
    expect(warnings).toContain(
      'Table file was queried without a required column in the WHERE clause',
    )
  })
})

describe('hash', () => {
  it('hashes regular files by path and by directory', () => {
    expect(machine.rows("SELECT path, sha256, md5 FROM hash WHERE path = '/etc/hostname'")).toEqual(
      [
        {
          path: '/etc/hostname',
          sha256: sha256('web-1\n'),
          md5: createHash('md5').update('web-1\n').digest('hex'),
        },
      ],
    )
    const rows = machine.rows("SELECT path FROM hash WHERE directory = '/etc' ORDER BY path")
    expect(rows.map((row) => row.path)).toEqual([
      '/etc/hostname',
      '/etc/hosts',
      '/etc/localtime',
      '/etc/passwd',
    ])
  })

  it('joins with file and fails without a constraint', () => {
    const rows = machine.rows(
      "SELECT f.size, h.sha1 FROM file f JOIN hash h USING (path) WHERE f.path = '/etc/ssh/sshd_config'",
    )
    expect(rows).toEqual([
      { size: '19', sha1: createHash('sha1').update('PermitRootLogin no\n').digest('hex') },
    ])
    expect(machine.engine.query('SELECT * FROM hash')).toEqual({
      status: 1,
      error: 'constraint failed',
    })
  })
})
