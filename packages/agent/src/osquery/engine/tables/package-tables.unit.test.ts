import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { fixtureEngine } from '../test-fixtures/fixture-root.js'
import { parseRpmHeader } from './rpm-packages.js'

const DPKG_STATUS = `Package: zlib1g
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 164
Maintainer: Mark Brown <broonie@debian.org>
Architecture: amd64
Multi-Arch: same
Source: zlib (1:1.2.13.dfsg-1)
Version: 1:1.2.13.dfsg-1
Description: compression library - runtime
 zlib is a library implementing the deflate compression method.

Package: bash
Status: install ok installed
Priority: required
Section: shells
Installed-Size: 7164
Maintainer: Matthias Klose <doko@debian.org>
Architecture: amd64
Version: 5.2.15-2+b2

Package: removed-thing
Status: deinstall ok config-files
Architecture: all
Version: 1.0

Package: gone
Status: purge ok not-installed
Architecture: all
`

/** Builds an rpm header blob: big-endian index entries then the data store. */
function rpmHeader(entries: [tag: number, value: string | number][]): Buffer {
  const index: Buffer[] = []
  const data: Buffer[] = []
  let offset = 0
  for (const [tag, value] of entries) {
    const bytes = typeof value === 'number' ? Buffer.alloc(4) : Buffer.from(`${value}\0`, 'utf8')
    if (typeof value === 'number') {
      bytes.writeUInt32BE(value)
    }
    const entry = Buffer.alloc(16)
    entry.writeUInt32BE(tag, 0)
    entry.writeUInt32BE(typeof value === 'number' ? 4 : 6, 4)
    entry.writeUInt32BE(offset, 8)
    entry.writeUInt32BE(1, 12)
    index.push(entry)
    data.push(bytes)
    offset += bytes.length
  }
  const head = Buffer.alloc(8)
  head.writeUInt32BE(entries.length, 0)
  head.writeUInt32BE(offset, 4)
  return Buffer.concat([head, ...index, ...data])
}

const machine = fixtureEngine({
  '/var/lib/dpkg/status': DPKG_STATUS,
  '/srv/other-dpkg/status':
    'Package: extra\nStatus: install ok installed\nVersion: 2.0-1\nArchitecture: all\n',
  '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n',
  '/usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA':
    'Metadata-Version: 2.1\nName: requests\nVersion: 2.28.1\nSummary: Python HTTP for Humans.\n' +
    'Author: Kenneth Reitz\nLicense: Apache 2.0\n\nLong description: not a header\n',
  '/usr/lib/python3/dist-packages/six-1.16.0.egg-info':
    'Metadata-Version: 1.2\nName: six\nVersion: 1.16.0\nSummary: Python 2 and 3 compatibility\n',
  '/home/alice/.local/lib/python3.11/site-packages/rich-13.0.0.dist-info/METADATA':
    'Name: rich\nVersion: 13.0.0\nLicense-Expression: MIT\n',
  '/usr/lib/node_modules/npm/package.json': JSON.stringify({
    name: 'npm',
    version: '10.2.4',
    description: 'a package manager for JavaScript',
    author: { name: 'GitHub Inc.' },
    license: 'Artistic-2.0',
    homepage: 'https://docs.npmjs.com/',
  }),
  '/usr/local/lib/node_modules/@scope/tool/package.json':
    '{"name":"@scope/tool","version":"1.0.0"}',
  '/usr/local/lib/node_modules/broken/package.json': '{not json',
  '/srv/app/node_modules/left-pad/package.json':
    '{"name":"left-pad","version":"1.3.0","license":"WTFPL"}',
  '/var/lib/rpm': { dir: true },
})

afterAll(() => machine.dispose())

describe('deb_packages', () => {
  it('lists dpkg packages sorted by name, without not-installed ones', () => {
    expect(
      machine.rows(
        'SELECT name, version, source, size, arch, revision, status, section, priority, admindir FROM deb_packages',
      ),
    ).toEqual([
      {
        name: 'bash',
        version: '5.2.15-2+b2',
        source: '',
        size: '7164',
        arch: 'amd64',
        revision: '2+b2',
        status: 'install ok installed',
        section: 'shells',
        priority: 'required',
        admindir: '/var/lib/dpkg',
      },
      {
        name: 'removed-thing',
        version: '1.0',
        source: '',
        size: '',
        arch: 'all',
        revision: '',
        status: 'deinstall ok config-files',
        section: '',
        priority: '',
        admindir: '/var/lib/dpkg',
      },
      {
        name: 'zlib1g',
        version: '1:1.2.13.dfsg-1',
        source: 'zlib',
        size: '164',
        arch: 'amd64',
        revision: '1',
        status: 'install ok installed',
        section: 'libs',
        priority: 'optional',
        admindir: '/var/lib/dpkg',
      },
    ])
  })

  it('reads another admindir when asked', () => {
    expect(
      machine.rows("SELECT name FROM deb_packages WHERE admindir = '/srv/other-dpkg'"),
    ).toEqual([{ name: 'extra' }])
  })
})

describe('rpm_packages', () => {
  it('decodes header blobs', () => {
    const header = parseRpmHeader(
      rpmHeader([
        [1000, 'bash'],
        [1001, '5.1.8'],
        [1009, 7_000_000],
      ]),
    )
    expect([...header]).toEqual([
      [1000, 'bash'],
      [1001, '5.1.8'],
      [1009, 7_000_000],
    ])
    expect(parseRpmHeader(Buffer.from([0, 0]))).toEqual(new Map())
  })

  it('returns no rows without an rpm database, and reads rpmdb.sqlite when present', () => {
    expect(machine.rows('SELECT * FROM rpm_packages')).toEqual([])
    const db = new Database(join(machine.root, 'var/lib/rpm/rpmdb.sqlite'))
    db.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)')
    db.prepare('INSERT INTO Packages (blob) VALUES (?)').run(
      rpmHeader([
        [1000, 'openssl'],
        [1001, '3.0.7'],
        [1002, '25.el9_3'],
        [1003, 1],
        [1008, 1_700_000_000],
        [1009, 1_234_567],
        [1011, 'Red Hat, Inc.'],
        [1016, 'System Environment/Libraries'],
        [1022, 'x86_64'],
        [1044, 'openssl-3.0.7-25.el9_3.src.rpm'],
        [269, 'abc123'],
      ]),
    )
    db.close()
    expect(machine.rows('SELECT * FROM rpm_packages')).toEqual([
      {
        name: 'openssl',
        version: '3.0.7',
        release: '25.el9_3',
        source: 'openssl-3.0.7-25.el9_3.src.rpm',
        size: '1234567',
        sha1: 'abc123',
        arch: 'x86_64',
        epoch: '1',
        install_time: '1700000000',
        vendor: 'Red Hat, Inc.',
        package_group: 'System Environment/Libraries',
      },
    ])
  })
})

describe('python_packages', () => {
  it('reads dist-info and egg-info metadata, with the owner uid for home directories', () => {
    expect(
      machine.rows(
        'SELECT name, version, summary, author, license, uid, directory FROM python_packages ORDER BY name',
      ),
    ).toEqual([
      {
        name: 'requests',
        version: '2.28.1',
        summary: 'Python HTTP for Humans.',
        author: 'Kenneth Reitz',
        license: 'Apache 2.0',
        uid: '',
        directory: '/usr/lib/python3/dist-packages',
      },
      {
        name: 'rich',
        version: '13.0.0',
        summary: '',
        author: '',
        license: 'MIT',
        uid: '1000',
        directory: '/home/alice/.local/lib/python3.11/site-packages',
      },
      {
        name: 'six',
        version: '1.16.0',
        summary: 'Python 2 and 3 compatibility',
        author: '',
        license: '',
        uid: '',
        directory: '/usr/lib/python3/dist-packages',
      },
    ])
  })
})

describe('npm_packages', () => {
  it('lists global packages, scoped ones included, skipping broken manifests', () => {
    expect(
      machine.rows('SELECT name, version, author, license, path FROM npm_packages ORDER BY name'),
    ).toEqual([
      {
        name: '@scope/tool',
        version: '1.0.0',
        author: '',
        license: '',
        path: '/usr/local/lib/node_modules/@scope/tool',
      },
      {
        name: 'npm',
        version: '10.2.4',
        author: 'GitHub Inc.',
        license: 'Artistic-2.0',
        path: '/usr/lib/node_modules/npm',
      },
    ])
  })

  it("reads a project's node_modules when a directory is asked for", () => {
    expect(
      machine.rows("SELECT name, directory FROM npm_packages WHERE directory = '/srv/app'"),
    ).toEqual([{ name: 'left-pad', directory: '/srv/app' }])
  })
})

describe('pid_with_namespace', () => {
  it("reads another process's root filesystem", () => {
    const other = fixtureEngine({
      '/proc/55/root/var/lib/dpkg/status':
        'Package: in-container\nStatus: install ok installed\nVersion: 1\n',
      '/var/lib/dpkg/status': DPKG_STATUS,
    })
    expect(other.rows('SELECT name FROM deb_packages WHERE pid_with_namespace = 55')).toEqual([
      { name: 'in-container' },
    ])
    expect(other.rows('SELECT name FROM deb_packages WHERE pid_with_namespace = 99')).toEqual([])
    other.dispose()
  })
})
