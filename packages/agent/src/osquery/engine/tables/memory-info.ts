import { parseColonValues } from '../host-fs.js'
import { cols, type TableSpec } from '../table.js'

const MEMINFO_KEYS: Record<string, string> = {
  memory_total: 'MemTotal',
  memory_free: 'MemFree',
  memory_available: 'MemAvailable',
  buffers: 'Buffers',
  cached: 'Cached',
  swap_cached: 'SwapCached',
  active: 'Active',
  inactive: 'Inactive',
  swap_total: 'SwapTotal',
  swap_free: 'SwapFree',
}

/** memory_info: /proc/meminfo, converted from kB to bytes. */
export const memoryInfoTable: TableSpec = {
  name: 'memory_info',
  columns: cols(
    Object.keys(MEMINFO_KEYS)
      .map((name) => `${name}:BIGINT`)
      .join(' '),
  ),
  *rows({ fs }) {
    const text = fs.readText('/proc/meminfo')
    if (text === undefined) {
      return
    }
    const values = parseColonValues(text)
    const row: Record<string, bigint | undefined> = {}
    for (const [column, key] of Object.entries(MEMINFO_KEYS)) {
      const kb = values.get(key)?.match(/^(\d+)/)?.[1]
      row[column] = kb === undefined ? undefined : BigInt(kb) * 1024n
    }
    yield row
  },
}
