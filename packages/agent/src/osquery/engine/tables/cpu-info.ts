import { cols, type TableRow, type TableSpec } from '../table.js'
import { readCpuInfo } from './cpuinfo.js'

function mhz(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(Number(value))
}

/** cpu_info: one row per physical package (socket) from /proc/cpuinfo and cpufreq. */
export const cpuInfoTable: TableSpec = {
  name: 'cpu_info',
  columns: cols(
    'device_id model manufacturer processor_type cpu_status:INTEGER number_of_cores ' +
      'logical_processors:INTEGER address_width current_clock_speed:INTEGER ' +
      'max_clock_speed:INTEGER socket_designation',
  ),
  foreign: [
    'availability',
    'load_percentage',
    'number_of_efficiency_cores',
    'number_of_performance_cores',
  ],
  *rows({ fs }) {
    const seen = new Set<string>()
    const maxKhz = fs.readLine('/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq')
    for (const block of readCpuInfo(fs)) {
      const socket = block.get('physical id') ?? '0'
      if (seen.has(socket)) {
        continue
      }
      seen.add(socket)
      const row: TableRow = {
        device_id: socket,
        model: block.get('model name') ?? '',
        manufacturer: block.get('vendor_id') ?? '',
        processor_type: '',
        number_of_cores: block.get('cpu cores') ?? '',
        logical_processors: block.get('siblings'),
        address_width: block.get('address sizes') ?? '',
        current_clock_speed: mhz(block.get('cpu MHz')),
        max_clock_speed: maxKhz === undefined ? undefined : Math.round(Number(maxKhz) / 1000),
        socket_designation: socket,
      }
      yield row
    }
  },
}
