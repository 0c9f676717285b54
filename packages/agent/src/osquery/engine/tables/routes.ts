import type { HostFs } from '../host-fs.js'
import { cols, type TableRow, type TableSpec } from '../table.js'
import { hexToIpv4, hexToIpv6 } from './net-format.js'

const RTF_GATEWAY = 0x2
const RTF_REJECT = 0x200
const RTF_LOCAL = 0x80000000

function maskBits(hexMask: string): number {
  // The mask is little-endian like the addresses; count its set bits.
  let value = Number.parseInt(hexMask, 16) >>> 0
  let bits = 0
  while (value) {
    bits += value & 1
    value >>>= 1
  }
  return bits
}

/** osquery leaves netmask 0 for host routes (/32, /128): it only records other prefix lengths. */
const netmaskOf = (bits: number, full: number): number => (bits === full ? 0 : bits)

function ipv4Routes(fs: HostFs): TableRow[] {
  const lines = (fs.readText('/proc/net/route') ?? '').split('\n').slice(1)
  const rows: TableRow[] = []
  for (const line of lines) {
    const [iface, destination, gateway, flags, , , metric, mask, mtu] = line.trim().split(/\s+/)
    if (!iface || !destination || !gateway || !mask) {
      continue
    }
    const hasGateway = (Number.parseInt(flags ?? '0', 16) & RTF_GATEWAY) !== 0
    rows.push({
      destination: hexToIpv4(destination),
      netmask: netmaskOf(maskBits(mask), 32),
      gateway: hasGateway ? hexToIpv4(gateway) : undefined,
      source: undefined,
      flags: 0,
      interface: iface,
      mtu: Number(mtu ?? 0),
      metric: Number(metric ?? 0),
      type: 'gateway',
      hopcount: 0,
    })
  }
  return rows
}

function ipv6Type(flags: number): string {
  if (flags & RTF_LOCAL) {
    return 'local'
  }
  return flags & RTF_REJECT ? 'other' : 'gateway'
}

function ipv6Routes(fs: HostFs): TableRow[] {
  const rows: TableRow[] = []
  for (const line of (fs.readText('/proc/net/ipv6_route') ?? '').split('\n')) {
    const [dest, destLen, , , nextHop, metric, , , flagsHex, iface] = line.trim().split(/\s+/)
    if (!dest || !destLen || !nextHop || !iface) {
      continue
    }
    const flags = Number.parseInt(flagsHex ?? '0', 16)
    rows.push({
      destination: hexToIpv6(dest),
      netmask: netmaskOf(Number.parseInt(destLen, 16), 128),
      gateway: /^0+$/.test(nextHop) ? undefined : hexToIpv6(nextHop),
      source: undefined,
      flags: 0,
      interface: iface,
      mtu: 0,
      metric: Number.parseInt(metric ?? '0', 16),
      type: ipv6Type(flags),
      hopcount: 0,
    })
  }
  return rows
}

/**
 * routes: the main IPv4 table (/proc/net/route) and the IPv6 tables (/proc/net/ipv6_route).
 * Unicast routes are `gateway`, as osquery's netlink reader names them. The IPv4 local and
 * broadcast tables are not in /proc, so those routes are not listed.
 */
export const routesTable: TableSpec = {
  name: 'routes',
  columns: cols(
    'destination netmask:INTEGER gateway source flags:INTEGER interface mtu:INTEGER ' +
      'metric:INTEGER type hopcount:INTEGER',
  ),
  *rows({ fs }) {
    yield* ipv4Routes(fs)
    yield* ipv6Routes(fs)
  },
}
