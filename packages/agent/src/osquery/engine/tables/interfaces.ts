import { posix } from 'node:path'
import type { NetworkInterfaceInfo } from 'node:os'
import type { HostFs } from '../host-fs.js'
import { inetAton } from '../sql-functions.js'
import { cols, type TableRow, type TableSpec } from '../table.js'

const IFF_BROADCAST = 0x2

function interfaceFlags(fs: HostFs, iface: string): number {
  const text = fs.readLine(`/sys/class/net/${iface}/flags`)
  return text === undefined ? 0 : Number.parseInt(text, 16) || 0
}

function broadcastOf(address: string, mask: string): string {
  const a = inetAton(address)
  const m = inetAton(mask)
  if (a === null || m === null) {
    return ''
  }
  const b = (a | (~m >>> 0)) >>> 0
  return [b >>> 24, (b >>> 16) & 255, (b >>> 8) & 255, b & 255].join('.')
}

function addressRow(fs: HostFs, iface: string, info: NetworkInterfaceInfo): TableRow {
  const flags = interfaceFlags(fs, iface)
  const ipv4 = info.family === 'IPv4'
  // getnameinfo() appends the scope to link-local IPv6 addresses.
  const linkLocal = !ipv4 && /^fe[89ab]/i.test(info.address)
  return {
    interface: iface,
    address: linkLocal ? `${info.address}%${iface}` : info.address,
    mask: info.netmask,
    broadcast: ipv4 && flags & IFF_BROADCAST ? broadcastOf(info.address, info.netmask) : '',
    point_to_point: '',
    type: 'unknown',
  }
}

/**
 * interface_addresses: each address of each interface (getifaddrs, through Node's
 * os.networkInterfaces). `type` is `unknown`: Linux doesn't say how an address was configured
 * without netlink's address flags.
 */
export const interfaceAddressesTable: TableSpec = {
  name: 'interface_addresses',
  columns: cols('interface address mask broadcast point_to_point type'),
  foreign: ['friendly_name'],
  *rows({ fs, probe }) {
    for (const [iface, infos] of Object.entries(probe.networkInterfaces())) {
      for (const info of infos ?? []) {
        yield addressRow(fs, iface, info)
      }
    }
  },
}

const STATISTICS: Record<string, string> = {
  ipackets: 'rx_packets',
  opackets: 'tx_packets',
  ibytes: 'rx_bytes',
  obytes: 'tx_bytes',
  ierrors: 'rx_errors',
  oerrors: 'tx_errors',
  idrops: 'rx_dropped',
  odrops: 'tx_dropped',
  collisions: 'collisions',
}

function pciSlot(fs: HostFs, iface: string): string {
  const device = fs.readLink(`/sys/class/net/${iface}/device`)
  const slot = device ? posix.basename(device) : ''
  return /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/i.test(slot) ? slot : ''
}

function detailsRow(fs: HostFs, iface: string): TableRow {
  const dir = `/sys/class/net/${iface}`
  const row: TableRow = {
    interface: iface,
    mac: fs.readLine(`${dir}/address`) ?? '',
    type: fs.readLine(`${dir}/type`),
    mtu: fs.readLine(`${dir}/mtu`),
    metric: 0,
    flags: interfaceFlags(fs, iface),
    last_change: -1,
    pci_slot: pciSlot(fs, iface),
  }
  for (const [column, file] of Object.entries(STATISTICS)) {
    row[column] = fs.readLine(`${dir}/statistics/${file}`)
  }
  const speed = Number(fs.readLine(`${dir}/speed`))
  row.link_speed = Number.isInteger(speed) && speed > 0 ? speed : undefined
  return row
}

/** interface_details: each interface's MAC, type, MTU, flags and counters from /sys/class/net. */
export const interfaceDetailsTable: TableSpec = {
  name: 'interface_details',
  columns: cols(
    'interface mac type:INTEGER mtu:INTEGER metric:INTEGER flags:INTEGER ipackets:BIGINT ' +
      'opackets:BIGINT ibytes:BIGINT obytes:BIGINT ierrors:BIGINT oerrors:BIGINT idrops:BIGINT ' +
      'odrops:BIGINT collisions:BIGINT last_change:BIGINT link_speed:BIGINT pci_slot',
  ),
  foreign: [
    'friendly_name',
    'description',
    'manufacturer',
    'connection_id',
    'connection_status',
    'enabled',
    'physical_adapter',
    'speed',
    'service',
    'dhcp_enabled',
    'dhcp_lease_expires',
    'dhcp_lease_obtained',
    'dhcp_server',
    'dns_domain',
    'dns_domain_suffix_search_order',
    'dns_host_name',
    'dns_server_search_order',
  ],
  *rows({ fs }) {
    for (const iface of fs.list('/sys/class/net')) {
      if (fs.isDirectory(`/sys/class/net/${iface}`)) {
        yield detailsRow(fs, iface)
      }
    }
  },
}
