import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from '@tanstack/react-table'
import styles from './table.module.css'

export interface Sort {
  key: string
  direction: 'asc' | 'desc'
}

/**
 * A table whose sorting and paging the server does (TanStack Table in manual mode): clicking a
 * sortable header asks the page for a new `sort`, which goes into the URL and the request.
 */
export function DataTable<T>({
  caption,
  columns,
  rows,
  sort,
  onSort,
  rowKey,
}: {
  caption: string
  columns: ColumnDef<T>[]
  rows: T[]
  sort: Sort
  onSort: (sort: Sort) => void
  rowKey: (row: T) => string
}) {
  const sorting: SortingState = [{ id: sort.key, desc: sort.direction === 'desc' }]
  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting },
    manualSorting: true,
    manualPagination: true,
    enableSortingRemoval: false,
    getRowId: rowKey,
    getCoreRowModel: getCoreRowModel(),
    onSortingChange: (update) => {
      const next = typeof update === 'function' ? update(sorting) : update
      const first = next[0]
      if (first) {
        onSort({ key: first.id, direction: first.desc ? 'desc' : 'asc' })
      }
    },
  })
  return (
    <div className={styles.scroller}>
      <table className={styles.table}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted()
                const label = flexRender(header.column.columnDef.header, header.getContext())
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={
                      sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined
                    }
                  >
                    {header.column.getCanSort() ? (
                      <button
                        type="button"
                        className={styles.sort}
                        onClick={header.column.getToggleSortingHandler()}
                      >
                        {label}
                        <span aria-hidden="true">
                          {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                        </span>
                      </button>
                    ) : (
                      label
                    )}
                  </th>
                )
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
