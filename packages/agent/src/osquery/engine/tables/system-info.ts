import type { HostFs } from '../host-fs.js'
import { cols, type TableContext, type TableRow, type TableSpec } from '../table.js'
import { physicalCores, readCpuInfo } from './cpuinfo.js'

const DMI = '/sys/class/dmi/id'

function dmi(fs: HostFs, name: string): string {
  return fs.readLine(`${DMI}/${name}`) ?? ''
}

/** The machine's hostname: the kernel's (/proc/sys/kernel/hostname), else gethostname(). */
export function readHostname(context: TableContext): string {
  return context.fs.readLine('/proc/sys/kernel/hostname') || context.probe.hostname()
}

/**
 * The host UUID osquery reports. osquery reads the SMBIOS system UUID (sysfs: DMI product_uuid,
 * readable by root). Virtual machines without DMI (containers, Firecracker) have none; then we
 * derive a stable one from /etc/machine-id (systemd's per-install id, 32 hex digits) as
 * 8-4-4-4-12, so the host keeps its identity across restarts. Upper-case, as osquery prints it.
 */
export function hostUuid(fs: HostFs): string {
  const product = dmi(fs, 'product_uuid')
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(product)) {
    return product.toUpperCase()
  }
  const machineId =
    (fs.readLine('/etc/machine-id') || fs.readLine('/var/lib/dbus/machine-id')) ?? ''
  const hex = machineId.toLowerCase()
  if (!/^[0-9a-f]{32}$/.test(hex)) {
    return ''
  }
  const parts = [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ]
  return parts.join('-').toUpperCase()
}

function memTotalBytes(fs: HostFs): bigint | undefined {
  const kb = fs.readText('/proc/meminfo')?.match(/^MemTotal:\s+(\d+)/m)?.[1]
  return kb === undefined ? undefined : BigInt(kb) * 1024n
}

function cpuColumns(context: TableContext): TableRow {
  const blocks = readCpuInfo(context.fs)
  const first = blocks[0] ?? new Map<string, string>()
  const logical = context.probe.logicalCpus()
  const siblings = Number(first.get('siblings') ?? 0)
  return {
    cpu_type: context.probe.arch(),
    cpu_subtype: first.get('model') ?? '0',
    cpu_brand: first.get('model name') ?? '',
    cpu_physical_cores: physicalCores(blocks),
    cpu_logical_cores: logical > 0 ? logical : -1,
    cpu_sockets: logical > 0 && siblings > 0 ? Math.floor(logical / siblings) : -1,
    cpu_microcode: first.get('microcode') ?? '',
  }
}

/** system_info: identity and hardware of the host (hostname, UUID, CPU, memory, DMI strings). */
export const systemInfoTable: TableSpec = {
  name: 'system_info',
  columns: cols(
    'hostname uuid cpu_type cpu_subtype cpu_brand cpu_physical_cores:INTEGER ' +
      'cpu_logical_cores:INTEGER cpu_sockets:INTEGER cpu_microcode physical_memory:BIGINT ' +
      'hardware_vendor hardware_model hardware_version hardware_serial board_vendor board_model ' +
      'board_version board_serial computer_name local_hostname',
  ),
  foreign: ['emulated_cpu_type'],
  *rows(context) {
    const { fs } = context
    const hostname = readHostname(context)
    yield {
      hostname,
      uuid: hostUuid(fs),
      ...cpuColumns(context),
      physical_memory: memTotalBytes(fs) ?? -1,
      hardware_vendor: dmi(fs, 'sys_vendor'),
      hardware_model: dmi(fs, 'product_name'),
      hardware_version: dmi(fs, 'product_version'),
      hardware_serial: dmi(fs, 'product_serial'),
      board_vendor: dmi(fs, 'board_vendor'),
      board_model: dmi(fs, 'board_name'),
      board_version: dmi(fs, 'board_version'),
      board_serial: dmi(fs, 'board_serial'),
      computer_name: hostname,
      local_hostname: hostname,
    }
  },
}
