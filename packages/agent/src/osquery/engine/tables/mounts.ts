import { cols, type TableRow, type TableSpec } from '../table.js'

/** Decodes getmntent's octal escapes (`\040` is a space). */
export function unescapeMount(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(parseInt(octal, 8)),
  )
}

/**
 * mounts: /proc/mounts with statfs() of each mount point (the disk-space detail query reads `/`).
 * A mount point that can't be statfs'd reports 0 blocks, as osquery does.
 */
export const mountsTable: TableSpec = {
  name: 'mounts',
  columns: cols(
    'device device_alias path type blocks_size:BIGINT blocks:BIGINT blocks_free:BIGINT ' +
      'blocks_available:BIGINT inodes:BIGINT inodes_free:BIGINT flags',
  ),
  *rows({ fs }) {
    for (const line of (fs.readText('/proc/mounts') ?? '').split('\n')) {
      const [device, path, type, flags] = line.split(' ').map(unescapeMount)
      if (!device || !path || !type) {
        continue
      }
      const stats = fs.statfs(path)
      const row: TableRow = {
        device,
        device_alias: device.startsWith('/') ? (fs.resolve(device) ?? device) : device,
        path,
        type,
        blocks_size: stats?.bsize ?? 0,
        blocks: stats?.blocks ?? 0,
        blocks_free: stats?.bfree ?? 0,
        blocks_available: stats?.bavail ?? 0,
        inodes: stats?.files ?? 0,
        inodes_free: stats?.ffree ?? 0,
        flags: flags ?? '',
      }
      yield row
    }
  },
}
