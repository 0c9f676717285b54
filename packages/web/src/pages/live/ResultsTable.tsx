import type { ResultRow } from '@fleet/api'
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useRef } from 'react'
import { cellText } from '../../lib/live-csv.js'
import styles from './live.module.css'

/** Height of one row in pixels: rows are one line (long values are cut, the CSV has them whole). */
const ROW_HEIGHT = 33
const EMPTY: ResultRow = {}

/** One row; memoised, so a scroll step renders only the rows that came into view. */
const Row = memo(function Row({ row, columns }: { row: ResultRow; columns: readonly string[] }) {
  return (
    <tr style={{ height: ROW_HEIGHT }}>
      {columns.map((column) => {
        const text = cellText(row[column])
        return (
          <td key={column} title={text}>
            {text}
          </td>
        )
      })}
    </tr>
  )
})

/**
 * The live results as a table that renders only the rows in view (TanStack Virtual): a query
 * on many hosts brings tens of thousands of rows, which a plain table would lay out at once.
 * Spacer rows above and below keep the scroll height, so it stays a real, accessible table.
 */
export function ResultsTable({
  rows,
  columns,
}: {
  rows: readonly ResultRow[]
  columns: readonly string[]
}) {
  const scroller = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  })
  const items = virtualizer.getVirtualItems()
  const before = items[0]?.start ?? 0
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0)
  return (
    <div
      ref={scroller}
      className={styles.results}
      tabIndex={0}
      role="region"
      aria-label={`Results, ${rows.length} rows`}
      data-testid="results-scroller"
    >
      <table className={styles.grid} style={{ minWidth: `${columns.length * 11}rem` }}>
        <caption className="visually-hidden">Live query results</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {before > 0 ? (
            <tr aria-hidden="true" style={{ height: before }}>
              <td colSpan={columns.length} />
            </tr>
          ) : null}
          {items.map((item) => (
            <Row key={item.key} row={rows[item.index] ?? EMPTY} columns={columns} />
          ))}
          {after > 0 ? (
            <tr aria-hidden="true" style={{ height: after }}>
              <td colSpan={columns.length} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  )
}
