import { cols, type TableSpec } from '../table.js'

/** kernel_info: the release from /proc/version and the boot arguments from /proc/cmdline. */
export const kernelInfoTable: TableSpec = {
  name: 'kernel_info',
  columns: cols('version arguments path device'),
  *rows({ fs }) {
    const row: Record<string, string> = {}
    const cmdline = fs.readText('/proc/cmdline')
    if (cmdline !== undefined) {
      const rest: string[] = []
      for (const argument of cmdline.trim().split(/\s+/).filter(Boolean)) {
        if (argument.startsWith('BOOT_IMAGE=')) {
          row.path = argument.slice('BOOT_IMAGE='.length)
        } else if (argument.startsWith('root=')) {
          row.device = argument.slice('root='.length)
        } else {
          rest.push(argument)
        }
      }
      row.arguments = rest.join(' ')
    }
    const version = fs.readText('/proc/version')?.split(' ')[2]
    if (version !== undefined) {
      row.version = version
    }
    yield row
  },
}
