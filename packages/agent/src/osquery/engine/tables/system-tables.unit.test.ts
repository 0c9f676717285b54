import { afterAll, describe, expect, it } from 'vitest'
import { fixtureEngine } from '../test-fixtures/fixture-root.js'
import { UTMP_RECORD_SIZE } from './logged-in-users.js'

const CPUINFO = ['0', '1', '2', '3']
  .map(
    (n) => `processor\t: ${n}
vendor_id\t: GenuineIntel
model\t\t: 85
model name\t: Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz
physical id\t: 0
siblings\t: 4
core id\t\t: ${Number(n) % 2}
cpu cores\t: 2
cpu MHz\t\t: 2399.998
microcode\t: 0x2006a08
address sizes\t: 46 bits physical, 48 bits virtual
`,
  )
  .join('\n')

function utmpRecord(
  type: number,
  pid: number,
  line: string,
  user: string,
  host: string,
  time: number,
): Buffer {
  const record = Buffer.alloc(UTMP_RECORD_SIZE)
  record.writeInt16LE(type, 0)
  record.writeInt32LE(pid, 4)
  record.write(line, 8)
  record.write(user, 44)
  record.write(host, 76)
  record.writeInt32LE(time, 340)
  return record
}

const machine = fixtureEngine({
  '/etc/os-release':
    'PRETTY_NAME="Ubuntu 22.04.3 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\n' +
    'VERSION="22.04.3 LTS (Jammy Jellyfish)"\nVERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\n',
  '/etc/machine-id': '0123456789abcdef0123456789abcdef\n',
  '/etc/passwd':
    'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' +
    'alice:x:1000:1000:Alice,,,:/home/alice:/bin/zsh\nbroken line\n',
  '/etc/group': 'root:x:0:\nsudo:x:27:alice\nalice:x:1000:\nnogroup:x:65534:\n',
  '/proc/cmdline': 'BOOT_IMAGE=/boot/vmlinuz-5.15.0-91-generic root=UUID=abcd ro quiet splash\n',
  '/proc/version': 'Linux version 5.15.0-91-generic (buildd@lcy02) (gcc 11.4.0) #101-Ubuntu SMP\n',
  '/proc/meminfo':
    'MemTotal:        8048836 kB\nMemFree:         1234567 kB\nMemAvailable:    4567890 kB\n' +
    'Buffers:          100000 kB\nCached:          2000000 kB\nSwapCached:            0 kB\n' +
    'Active:          3000000 kB\nInactive:        1500000 kB\nSwapTotal:       2097148 kB\n' +
    'SwapFree:        2097148 kB\n',
  '/proc/cpuinfo': CPUINFO,
  '/proc/uptime': '93784.55 180000.10\n',
  '/proc/stat': 'cpu  1 2 3 4\nbtime 1700000000\nprocesses 42\n',
  '/proc/sys/kernel/hostname': 'web-1.example.com\n',
  '/sys/class/dmi/id/product_uuid': '4c4c4544-0042-3510-8052-b4c04f4e4d32\n',
  '/sys/class/dmi/id/sys_vendor': 'Dell Inc.\n',
  '/sys/class/dmi/id/product_name': 'PowerEdge R640\n',
  '/sys/class/dmi/id/product_serial': 'ABC1234\n',
  '/sys/class/dmi/id/board_name': '0W23H8\n',
  '/proc/1/stat':
    '1 (systemd) S 0 1 1 0 -1 4194560 100 200 10 20 150 250 0 0 20 0 1 0 12 171044864 3000 ' +
    '18446744073709551615 1 1 0 0 0 0 671173123 4096 1260 0 0 0 17 0 0 0 0 0 0\n',
  '/proc/1/status':
    'Name:\tsystemd\nUmask:\t0000\nState:\tS (sleeping)\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n' +
    'VmSize:\t  167036 kB\nVmRSS:\t   12000 kB\nThreads:\t1\n',
  '/proc/1/cmdline': Buffer.from('/sbin/init\0splash\0'),
  '/proc/1/cgroup': '0::/init.scope\n',
  '/proc/1/io': 'rchar: 1\nread_bytes: 4096\nwrite_bytes: 8192\ncancelled_write_bytes: 1024\n',
  '/proc/1/exe': { link: '/bin/sh' },
  '/bin/sh': '#!/bin/true\n',
  '/proc/1/cwd': { link: '/' },
  // A process with a name holding spaces and parentheses, whose binary was deleted.
  '/proc/4242/stat':
    '4242 (my (odd) proc) R 1 4242 4242 0 -1 0 0 0 0 0 7 3 0 0 20 5 2 0 500 1000 10 0\n',
  '/proc/4242/status':
    'Name:\tmy (odd) proc\nUid:\t1000\t1001\t1002\t1003\nGid:\t1000\t1000\t1000\t1000\n',
  '/proc/4242/exe': { link: '/opt/app/bin/server (deleted)' },
  // Exited mid-read: stat but no status.
  '/proc/777/stat': '777 (gone) Z 1 777 777 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 9 0 0 0\n',
  '/var/run/utmp': Buffer.concat([
    utmpRecord(2, 0, '~', 'reboot', '5.15.0', 1_700_000_001),
    utmpRecord(7, 1234, 'pts/0', 'alice', '10.0.0.7', 1_700_000_500),
    utmpRecord(6, 1, 'tty1', 'LOGIN', '', 1_700_000_002),
  ]),
})

afterAll(() => machine.dispose())

describe('os_version', () => {
  it('reads /etc/os-release', () => {
    expect(machine.rows('SELECT * FROM os_version')).toEqual([
      {
        name: 'Ubuntu',
        version: '22.04.3 LTS (Jammy Jellyfish)',
        major: '22',
        minor: '4',
        patch: '0',
        build: '',
        platform: 'ubuntu',
        platform_like: 'debian',
        codename: 'jammy',
        arch: 'x86_64',
      },
    ])
  })

  it('answers the Ubuntu label query and not the macOS one', () => {
    expect(machine.rows("SELECT 1 FROM os_version WHERE platform = 'ubuntu'")).toHaveLength(1)
    expect(machine.rows("SELECT 1 FROM os_version WHERE platform = 'darwin'")).toHaveLength(0)
  })

  it('falls back to Red Hat release files', () => {
    const rhel = fixtureEngine({ '/etc/redhat-release': 'CentOS Linux release 7.9.2009 (Core)\n' })
    const [row] = rhel.rows('SELECT name, major, minor, patch, platform, version FROM os_version')
    expect(row).toEqual({
      name: 'CentOS Linux',
      major: '7',
      minor: '9',
      patch: '2009',
      platform: 'rhel',
      version: 'CentOS Linux release 7.9.2009 (Core)',
    })
    rhel.dispose()
  })
})

describe('kernel_info, memory_info, uptime, time', () => {
  it('splits the kernel command line', () => {
    expect(machine.rows('SELECT * FROM kernel_info')).toEqual([
      {
        version: '5.15.0-91-generic',
        arguments: 'ro quiet splash',
        path: '/boot/vmlinuz-5.15.0-91-generic',
        device: 'UUID=abcd',
      },
    ])
  })

  it('reports memory in bytes', () => {
    const [row] = machine.rows('SELECT memory_total, memory_available, swap_free FROM memory_info')
    expect(row).toEqual({
      memory_total: String(8048836 * 1024),
      memory_available: String(4567890 * 1024),
      swap_free: String(2097148 * 1024),
    })
  })

  it('splits uptime into days, hours, minutes and seconds', () => {
    expect(machine.rows('SELECT * FROM uptime')).toEqual([
      { days: '1', hours: '2', minutes: '3', seconds: '4', total_seconds: '93784' },
    ])
  })

  it('reports the clock in UTC', () => {
    const [row] = machine.rows(
      'SELECT weekday, year, month, day, unix_time, datetime, timestamp FROM time',
    )
    expect(row).toEqual({
      weekday: 'Monday',
      year: '2024',
      month: '1',
      day: '1',
      unix_time: String(Date.UTC(2024, 0, 1, 12, 30, 45) / 1000),
      datetime: '2024-01-01T12:30:45Z',
      timestamp: 'Mon Jan  1 12:30:45 2024 UTC',
    })
  })
})

describe('system_info and cpu_info', () => {
  it('reads hostname, DMI identity and CPU details', () => {
    const [row] = machine.rows('SELECT * FROM system_info')
    expect(row).toMatchObject({
      hostname: 'web-1.example.com',
      computer_name: 'web-1.example.com',
      uuid: '4C4C4544-0042-3510-8052-B4C04F4E4D32',
      cpu_type: 'x86_64',
      cpu_subtype: '85',
      cpu_brand: 'Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz',
      cpu_physical_cores: '2',
      cpu_logical_cores: '4',
      cpu_sockets: '1',
      cpu_microcode: '0x2006a08',
      physical_memory: String(8048836 * 1024),
      hardware_vendor: 'Dell Inc.',
      hardware_model: 'PowerEdge R640',
      hardware_serial: 'ABC1234',
      board_model: '0W23H8',
      hardware_version: '',
    })
  })

  it('derives the UUID from /etc/machine-id without DMI', () => {
    const vm = fixtureEngine({ '/etc/machine-id': '0123456789abcdef0123456789abcdef\n' })
    expect(vm.rows('SELECT uuid, hostname FROM system_info')).toEqual([
      { uuid: '01234567-89AB-CDEF-0123-456789ABCDEF', hostname: 'fallback-host' },
    ])
    vm.dispose()
  })

  it('lists one cpu_info row per socket', () => {
    expect(
      machine.rows(
        'SELECT device_id, model, number_of_cores, logical_processors, current_clock_speed FROM cpu_info',
      ),
    ).toEqual([
      {
        device_id: '0',
        model: 'Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz',
        number_of_cores: '2',
        logical_processors: '4',
        current_clock_speed: '2400',
      },
    ])
  })
})

describe('users, groups, user_groups, logged_in_users', () => {
  it('parses /etc/passwd with signed ids and skips malformed lines', () => {
    const rows = machine.rows(
      'SELECT uid, gid_signed, username, description, directory, shell FROM users',
    )
    expect(rows).toHaveLength(3)
    expect(rows[1]).toEqual({
      uid: '65534',
      gid_signed: '65534',
      username: 'nobody',
      description: 'nobody',
      directory: '/nonexistent',
      shell: '/usr/sbin/nologin',
    })
  })

  it("answers the server's users detail query shape with a join on groups", () => {
    const rows = machine.rows(
      `WITH cached_groups AS (SELECT * FROM groups)
       SELECT u.uid, u.username, g.groupname FROM users u LEFT JOIN cached_groups g ON g.gid = u.gid
       WHERE u.shell NOT LIKE '%/nologin' ORDER BY u.uid`,
    )
    expect(rows).toEqual([
      { uid: '0', username: 'root', groupname: 'root' },
      { uid: '1000', username: 'alice', groupname: 'alice' },
    ])
  })

  it('lists supplementary group memberships', () => {
    expect(machine.rows('SELECT gid FROM user_groups WHERE uid = 1000 ORDER BY gid')).toEqual([
      { gid: '27' },
      { gid: '1000' },
    ])
  })

  it('decodes utmp records and skips pid 1', () => {
    expect(machine.rows('SELECT * FROM logged_in_users')).toEqual([
      { type: 'boot_time', user: 'reboot', tty: '~', host: '5.15.0', time: '1700000001', pid: '0' },
      {
        type: 'user',
        user: 'alice',
        tty: 'pts/0',
        host: '10.0.0.7',
        time: '1700000500',
        pid: '1234',
      },
    ])
  })
})

describe('processes', () => {
  it('reads stat, status, cmdline, io, cgroup and links', () => {
    const [row] = machine.rows('SELECT * FROM processes WHERE pid = 1')
    expect(row).toEqual({
      pid: '1',
      name: 'systemd',
      path: '/bin/sh',
      cmdline: '/sbin/init splash',
      state: 'S',
      cwd: '/',
      root: '',
      uid: '0',
      gid: '0',
      euid: '0',
      egid: '0',
      suid: '0',
      sgid: '0',
      on_disk: '1',
      wired_size: '0',
      resident_size: '12000000',
      total_size: '167036000',
      user_time: '1500',
      system_time: '2500',
      disk_bytes_read: '4096',
      disk_bytes_written: '7168',
      start_time: '1700000000',
      parent: '0',
      pgroup: '1',
      threads: '1',
      nice: '0',
      cgroup_path: '/init.scope',
    })
  })

  it('parses odd names, strips " (deleted)" and skips processes that vanished', () => {
    expect(machine.rows('SELECT pid FROM processes ORDER BY pid')).toEqual([
      { pid: '1' },
      { pid: '4242' },
    ])
    const [row] = machine.rows(
      'SELECT name, state, path, on_disk, euid, nice, start_time FROM processes WHERE pid = 4242',
    )
    expect(row).toEqual({
      name: 'my (odd) proc',
      state: 'R',
      path: '/opt/app/bin/server',
      on_disk: '0',
      euid: '1001',
      nice: '5',
      start_time: '1700000005',
    })
  })
})

describe('osquery_* tables', () => {
  it('reports the engine identity, flags and registry', () => {
    const [info] = machine.rows(
      'SELECT version, instance_id, config_valid, build_platform, platform_mask FROM osquery_info',
    )
    expect(info).toEqual({
      version: '5.14.1',
      instance_id: '0f3c8a8e-5b7a-4c53-9d1e-2f6b1c0e9a11',
      config_valid: '1',
      build_platform: 'linux',
      platform_mask: '9',
    })
    expect(
      machine.rows(
        "SELECT name, value FROM osquery_flags WHERE name IN ('distributed_interval', 'logger_tls_period') ORDER BY name",
      ),
    ).toEqual([
      { name: 'distributed_interval', value: '10' },
      { name: 'logger_tls_period', value: '10' },
    ])
    expect(
      machine.rows(
        "SELECT 1 FROM osquery_registry WHERE active = true AND registry = 'table' AND name = 'mounts'",
      ),
    ).toHaveLength(1)
    expect(machine.rows('SELECT * FROM osquery_schedule')).toEqual([])
  })
})
