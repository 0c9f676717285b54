import { afterAll, describe, expect, it } from 'vitest'
import { fixtureEngine } from '../test-fixtures/fixture-root.js'
import { formatIpv6, hexToIpv4, hexWordsToIpv6 } from './net-format.js'

const ROUTE =
  'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n' +
  'eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n' +
  'eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n' +
  'docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t1500\t0\t0\n'

const IPV6_ROUTE =
  '00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003     eth0\n' +
  '00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo\n'

const TCP =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
  '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1 0\n' +
  '   1: 0201A8C0:0016 0501A8C0:C350 01 00000000:00000000 00:00000000 00000000     0        0 2222 1 0\n'
const TCP6 =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
  '   0: 00000000000000000000000000000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3333 1 0\n'
const UDP =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n' +
  '  10: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4444 2 0 0\n'
const UNIX =
  'Num       RefCount Protocol Flags    Type St Inode Path\n' +
  '0000000000000000: 00000002 00000000 00010000 0001 01 5555 /run/dbus/system_bus_socket\n' +
  '0000000000000000: 00000003 00000000 00000000 0001 03 6666\n'

const machine = fixtureEngine(
  {
    '/proc/net/route': ROUTE,
    '/proc/net/ipv6_route': IPV6_ROUTE,
    '/proc/net/tcp': TCP,
    '/proc/net/tcp6': TCP6,
    '/proc/net/udp': UDP,
    '/proc/net/unix': UNIX,
    '/proc/300/fd/3': { link: 'socket:[1111]' },
    '/proc/300/fd/4': { link: 'socket:[2222]' },
    '/proc/300/fd/5': { link: '/dev/null' },
    '/proc/300/ns/net': { link: 'net:[4026531840]' },
    '/proc/mounts':
      '/dev/sda1 / ext4 rw,relatime 0 0\nproc /proc proc rw,nosuid 0 0\n' +
      '/dev/sdb1 /mnt/my\\040disk ext4 ro 0 0\n',
    '/dev/sda1': '',
    '/mnt/my disk': { dir: true },
    '/sys/class/net/eth0/address': '52:54:00:12:34:56\n',
    '/sys/class/net/eth0/type': '1\n',
    '/sys/class/net/eth0/mtu': '1500\n',
    '/sys/class/net/eth0/flags': '0x1003\n',
    '/sys/class/net/eth0/speed': '1000\n',
    '/sys/class/net/eth0/statistics/rx_packets': '10\n',
    '/sys/class/net/eth0/statistics/tx_bytes': '12345678901\n',
    '/sys/class/net/eth0/device': { link: '../../../0000:00:03.0' },
    '/sys/class/net/lo/address': '00:00:00:00:00:00\n',
    '/sys/class/net/lo/flags': '0x9\n',
    '/sys/class/net/lo/speed': '-1\n',
  },
  {
    probe: {
      networkInterfaces: () => ({
        lo: [
          {
            address: '127.0.0.1',
            netmask: '255.0.0.0',
            family: 'IPv4',
            mac: '00:00:00:00:00:00',
            internal: true,
            cidr: '127.0.0.1/8',
          },
        ],
        eth0: [
          {
            address: '192.168.1.2',
            netmask: '255.255.255.0',
            family: 'IPv4',
            mac: '52:54:00:12:34:56',
            internal: false,
            cidr: '192.168.1.2/24',
          },
          {
            address: 'fe80::5054:ff:fe12:3456',
            netmask: 'ffff:ffff:ffff:ffff::',
            family: 'IPv6',
            mac: '52:54:00:12:34:56',
            internal: false,
            cidr: 'fe80::5054:ff:fe12:3456/64',
            scopeid: 2,
          },
        ],
      }),
    },
  },
)

afterAll(() => machine.dispose())

describe('address formatting', () => {
  it('decodes /proc/net hex like inet_ntop', () => {
    expect(hexToIpv4('0100007F')).toBe('127.0.0.1')
    expect(hexWordsToIpv6('00000000000000000000000001000000')).toBe('::1')
    expect(hexWordsToIpv6('0000000000000000FFFF00000100007F')).toBe('::ffff:127.0.0.1')
    expect(formatIpv6(Buffer.from('20010db8000000000001000000000001', 'hex'))).toBe(
      '2001:db8::1:0:0:1',
    )
    expect(formatIpv6(Buffer.from('20010db8000100020003000400050006', 'hex'))).toBe(
      '2001:db8:1:2:3:4:5:6',
    )
  })
})

describe('interface_addresses and interface_details', () => {
  it('lists addresses with broadcast and scoped link-local IPv6', () => {
    expect(
      machine.rows(
        "SELECT address, mask, broadcast FROM interface_addresses WHERE interface = 'eth0'",
      ),
    ).toEqual([
      { address: '192.168.1.2', mask: '255.255.255.0', broadcast: '192.168.1.255' },
      { address: 'fe80::5054:ff:fe12:3456%eth0', mask: 'ffff:ffff:ffff:ffff::', broadcast: '' },
    ])
  })

  it('reads MAC, flags, counters, speed and PCI slot from sysfs', () => {
    const [eth0] = machine.rows("SELECT * FROM interface_details WHERE interface = 'eth0'")
    expect(eth0).toMatchObject({
      mac: '52:54:00:12:34:56',
      type: '1',
      mtu: '1500',
      flags: '4099',
      ipackets: '10',
      obytes: '12345678901',
      link_speed: '1000',
      pci_slot: '0000:00:03.0',
      ierrors: '',
    })
    expect(machine.rows("SELECT link_speed FROM interface_details WHERE interface = 'lo'")).toEqual(
      [{ link_speed: '' }],
    )
  })
})

describe('routes', () => {
  it('decodes IPv4 and IPv6 routes as osquery names them', () => {
    expect(
      machine.rows(
        'SELECT destination, netmask, gateway, interface, metric, mtu, type FROM routes',
      ),
    ).toEqual([
      {
        destination: '0.0.0.0',
        netmask: '0',
        gateway: '192.168.1.1',
        interface: 'eth0',
        metric: '100',
        mtu: '0',
        type: 'gateway',
      },
      {
        destination: '192.168.1.0',
        netmask: '24',
        gateway: '',
        interface: 'eth0',
        metric: '100',
        mtu: '0',
        type: 'gateway',
      },
      {
        destination: '172.17.0.0',
        netmask: '16',
        gateway: '',
        interface: 'docker0',
        metric: '0',
        mtu: '1500',
        type: 'gateway',
      },
      {
        destination: '::',
        netmask: '0',
        gateway: 'fe80::1',
        interface: 'eth0',
        metric: '1024',
        mtu: '0',
        type: 'gateway',
      },
      {
        destination: '::1',
        netmask: '0',
        gateway: '',
        interface: 'lo',
        metric: '0',
        mtu: '0',
        type: 'local',
      },
    ])
  })

  it('joins addresses, details and the default route (the primary IP detail query shape)', () => {
    const sql = `SELECT ia.address, id.mac FROM interface_addresses ia
      JOIN interface_details id ON id.interface = ia.interface
      JOIN routes r ON r.interface = ia.interface
      WHERE (r.destination = '0.0.0.0' OR r.destination = '::') AND r.netmask = 0 AND r.type = 'gateway'
        AND inet_aton(ia.address) IS NOT NULL AND split(ia.address, '.', 0) = '192'
      ORDER BY r.metric ASC, inet_aton(ia.address) IS NOT NULL DESC LIMIT 1`
    expect(machine.engine.query(sql)).toEqual({
      status: 0,
      rows: [{ address: '192.168.1.2', mac: '52:54:00:12:34:56' }],
    })
  })
})

describe('listening_ports and process_open_sockets', () => {
  it('lists listening TCP, unconnected UDP and listening UNIX sockets with their owners', () => {
    expect(
      machine.rows(
        'SELECT pid, port, protocol, family, address, fd, socket, path, net_namespace FROM listening_ports',
      ),
    ).toEqual([
      {
        pid: '300',
        port: '8080',
        protocol: '6',
        family: '2',
        address: '127.0.0.1',
        fd: '3',
        socket: '1111',
        path: '',
        net_namespace: '4026531840',
      },
      {
        pid: '-1',
        port: '443',
        protocol: '6',
        family: '10',
        address: '::',
        fd: '-1',
        socket: '3333',
        path: '',
        net_namespace: '',
      },
      {
        pid: '-1',
        port: '68',
        protocol: '17',
        family: '2',
        address: '0.0.0.0',
        fd: '-1',
        socket: '4444',
        path: '',
        net_namespace: '',
      },
      {
        pid: '-1',
        port: '0',
        protocol: '0',
        family: '1',
        address: '',
        fd: '-1',
        socket: '5555',
        path: '/run/dbus/system_bus_socket',
        net_namespace: '',
      },
    ])
  })

  it('lists the sockets a process holds, with TCP state', () => {
    expect(
      machine.rows(
        'SELECT fd, remote_address, remote_port, state FROM process_open_sockets WHERE pid = 300 ORDER BY fd',
      ),
    ).toEqual([
      { fd: '3', remote_address: '0.0.0.0', remote_port: '0', state: 'LISTEN' },
      { fd: '4', remote_address: '192.168.1.5', remote_port: '50000', state: 'ESTABLISHED' },
    ])
  })
})

describe('mounts', () => {
  it('reads /proc/mounts, unescapes paths and statfs()s mount points', () => {
    const rows = machine.rows(
      'SELECT device, device_alias, path, type, flags, blocks_size > 0 AS has_stats FROM mounts',
    )
    expect(rows).toEqual([
      {
        device: '/dev/sda1',
        device_alias: '/dev/sda1',
        path: '/',
        type: 'ext4',
        flags: 'rw,relatime',
        has_stats: '1',
      },
      {
        device: 'proc',
        device_alias: 'proc',
        path: '/proc',
        type: 'proc',
        flags: 'rw,nosuid',
        has_stats: '1',
      },
      {
        device: '/dev/sdb1',
        device_alias: '/dev/sdb1',
        path: '/mnt/my disk',
        type: 'ext4',
        flags: 'ro',
        has_stats: '1',
      },
    ])
  })

  it('computes disk space from the root mount (the disk space detail query shape)', () => {
    const sql = `SELECT (blocks_available * 100.0 / blocks) AS percent_disk_space_available,
      round((blocks * blocks_size * 1e-9), 2) AS gigs_total_disk_space FROM mounts WHERE path = '/' LIMIT 1`
    const outcome = machine.engine.query(sql)
    expect(outcome.status).toBe(0)
    const row = outcome.status === 0 ? outcome.rows[0] : undefined
    expect(Number(row?.gigs_total_disk_space)).toBeGreaterThan(0)
    expect(Number(row?.percent_disk_space_available)).toBeGreaterThan(0)
  })
})
