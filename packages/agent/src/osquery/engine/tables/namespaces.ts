import type { HostFs } from '../host-fs.js'
import type { HiddenArgs, TableContext } from '../table.js'

/** Hidden columns of osquery's namespace-aware Linux tables. */
export const NAMESPACE_COLUMNS = ['pid_with_namespace', 'mount_namespace_id'] as const

/** Hidden columns of tables that take only `pid_with_namespace`. */
export const PID_NAMESPACE_COLUMN = ['pid_with_namespace'] as const

function namespaceId(link: string | undefined): string | undefined {
  return link?.match(/\[(\d+)\]/)?.[1]
}

/**
 * The filesystem a namespace-aware table reads: the host's, or with `pid_with_namespace = N` the
 * root of process N (`/proc/N/root`), as osquery reads inside that process's mount namespace.
 * Undefined means "no rows": the process is gone, or `mount_namespace_id` names another namespace.
 */
export function namespaceFs(context: TableContext, args: HiddenArgs): HostFs | undefined {
  const pid = args.pid_with_namespace === undefined ? 0 : Number(args.pid_with_namespace)
  const fs = pid > 0 ? context.fs.at(`/proc/${pid}/root`) : context.fs
  if (pid > 0 && !fs.isDirectory('/')) {
    return undefined
  }
  if (args.mount_namespace_id !== undefined) {
    const actual = namespaceId(context.fs.readLink(`/proc/${pid > 0 ? pid : 'self'}/ns/mnt`))
    if (actual !== String(args.mount_namespace_id)) {
      return undefined
    }
  }
  return fs
}
