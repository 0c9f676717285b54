import type { HostSummaryJson } from '@fleet/api'
import type { ColumnDef } from '@tanstack/react-table'
import { Link } from 'react-router'
import { Badge } from '../../components/ui.js'
import { formatBytes, timeAgo } from '../../lib/format.js'
import { HOST_COLUMNS } from '../../lib/host-columns.js'
import styles from './hosts.module.css'

type Host = HostSummaryJson

/** Long values wrap inside their cell so the table fits a laptop screen. */
const wrapped = (text: string) => <span className={styles.wrap}>{text}</span>

interface ColumnPart {
  accessorFn: (host: Host) => unknown
  cell?: ColumnDef<Host>['cell']
  enableSorting?: boolean
}

/** Every column; each sortable one's id is the server's `order_key`. */
const DEFINITIONS: Record<string, ColumnPart> = {
  display_name: {
    accessorFn: (h) => h.display_name,
    cell: ({ row }) => <Link to={`/hosts/${row.original.id}`}>{row.original.display_name}</Link>,
  },
  status: {
    accessorFn: (h) => h.status,
    enableSorting: false,
    cell: ({ row }) => <Badge tone={row.original.status}>{row.original.status}</Badge>,
  },
  platform: { accessorFn: (h) => h.platform },
  os_version: {
    accessorFn: (h) => h.os_version,
    cell: ({ getValue }) => wrapped(String(getValue())),
  },
  team_name: { accessorFn: (h) => h.team_name ?? 'No team', enableSorting: false },
  issues: { accessorFn: (h) => h.issues.failing_policies_count, enableSorting: false },
  primary_ip: {
    accessorFn: (h) => h.primary_ip,
    cell: ({ getValue }) => wrapped(String(getValue())),
  },
  seen_time: { accessorFn: (h) => timeAgo(h.seen_time) },
  osquery_version: { accessorFn: (h) => h.osquery_version },
  hardware_serial: { accessorFn: (h) => h.hardware_serial },
  hardware_model: { accessorFn: (h) => h.hardware_model, enableSorting: false },
  primary_mac: { accessorFn: (h) => h.primary_mac, enableSorting: false },
  memory: { accessorFn: (h) => formatBytes(h.memory) },
  created_at: { accessorFn: (h) => timeAgo(h.created_at) },
}

/** The page's selection of hosts for bulk actions. */
export interface HostSelection {
  selected: ReadonlySet<number>
  toggle(id: number): void
  /** Selects every host of the page, or clears them when all are selected. */
  togglePage(ids: readonly number[]): void
}

function selectColumn(selection: HostSelection): ColumnDef<Host> {
  return {
    id: 'select',
    enableSorting: false,
    header: ({ table }) => {
      const ids = table.getRowModel().rows.map((r) => r.original.id)
      const all = ids.length > 0 && ids.every((id) => selection.selected.has(id))
      return (
        <input
          type="checkbox"
          aria-label="Select all hosts on this page"
          checked={all}
          onChange={() => selection.togglePage(ids)}
        />
      )
    },
    cell: ({ row }) => (
      <input
        type="checkbox"
        aria-label={`Select ${row.original.display_name}`}
        checked={selection.selected.has(row.original.id)}
        onChange={() => selection.toggle(row.original.id)}
      />
    ),
  }
}

/** The shown columns in the table's order, after a selection column when bulk actions are on. */
export function hostTableColumns(
  shown: readonly string[],
  selection: HostSelection | undefined,
): ColumnDef<Host>[] {
  const columns = HOST_COLUMNS.filter((c) => shown.includes(c.id)).flatMap((c) => {
    const part = DEFINITIONS[c.id]
    if (!part) {
      return []
    }
    const column: ColumnDef<Host> = {
      id: c.id,
      header: c.label,
      accessorFn: part.accessorFn,
      enableSorting: part.enableSorting ?? true,
      ...(part.cell ? { cell: part.cell } : {}),
    }
    return [column]
  })
  return selection ? [selectColumn(selection), ...columns] : columns
}
