import { QUERY_PREFIX, type ResultRow } from '@fleet/api'
import type { HostIdentity } from './host-identity.js'

/**
 * The fixture templates hard-code values that a real fleet never shares (uptime, MACs, IPs, the
 * hardware serial and, in one template, the hardware UUID). These functions overwrite them with
 * the host's own, so a server sees distinct machines.
 */

/** Rows of a detail query with this host's uptime, addresses and hardware ids. */
export function personalizeRows(
  queryName: string,
  rows: ResultRow[],
  host: HostIdentity,
  nowMs: number,
): ResultRow[] {
  if (!queryName.startsWith(QUERY_PREFIX.detail)) {
    return rows
  }
  const detail = queryName.slice(QUERY_PREFIX.detail.length)
  if (detail === 'uptime') {
    return rows.map((row) => ({ ...row, ...uptimeColumns(nowMs - host.bootTimeMs) }))
  }
  if (detail === 'system_info') {
    return rows.map((row) => ({ ...row, uuid: host.uuid, hardware_serial: host.serial }))
  }
  if (detail.startsWith('network_interface')) {
    return rows.map((row) => personalizeInterface(row, host))
  }
  return rows
}

/**
 * The enroll body with this host's serial in `host_details.system_info.hardware_serial`;
 * everything else is the template's as rendered.
 */
export function personalizeEnroll(
  body: { host_details?: Record<string, Record<string, unknown>> | undefined },
  host: HostIdentity,
): void {
  const systemInfo = body.host_details?.['system_info']
  if (systemInfo !== undefined) {
    systemInfo['hardware_serial'] = host.serial
  }
}

/** osquery's `uptime` table columns (all strings). */
export function uptimeColumns(uptimeMs: number): Record<string, string> {
  const total = Math.max(0, Math.floor(uptimeMs / 1000))
  return {
    days: String(Math.floor(total / 86_400)),
    hours: String(Math.floor((total % 86_400) / 3600)),
    minutes: String(Math.floor((total % 3600) / 60)),
    seconds: String(total % 60),
    total_seconds: String(total),
  }
}

const ZERO_MAC = '00:00:00:00:00:00'

function personalizeInterface(row: ResultRow, host: HostIdentity): ResultRow {
  const out: ResultRow = { ...row }
  const mac = row['mac']
  if (typeof mac === 'string' && mac !== '' && mac !== ZERO_MAC) {
    out['mac'] = host.mac
  }
  const address = row['address']
  if (typeof address === 'string') {
    out['address'] = personalizeAddress(address, host)
  }
  return out
}

function personalizeAddress(address: string, host: HostIdentity): string {
  if (address.startsWith('fe80::') && address !== 'fe80::1' && !address.startsWith('fe80::1%')) {
    const zone = address.indexOf('%')
    return zone === -1 ? host.ipv6 : host.ipv6 + address.slice(zone)
  }
  if (/^(10|192\.168|172\.(1[6-9]|2[0-9]|3[01]))\./.test(address)) {
    return host.ipv4
  }
  return address
}
