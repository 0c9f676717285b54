import type { ReactNode } from 'react'
import styles from './table.module.css'

/** The classes a SimpleTable's rows use for phones: `wideOnly`, `narrowOnly`, `wraps`. */
export const tableStyles = styles

/**
 * A plain table of a short list the server gives whole (teams, users, labels, policies): a
 * caption for screen readers, column headers, and the rows as children. Long, server-paged lists
 * use `DataTable`.
 */
export function SimpleTable({
  caption,
  columns,
  wideOnly = [],
  children,
}: {
  caption: string
  /** Header texts; `null` for an unlabelled column (actions), named for screen readers only. */
  columns: readonly (string | null)[]
  /** Indexes of columns left out on a phone (their cells carry `tableStyles.wideOnly`). */
  wideOnly?: readonly number[]
  children: ReactNode
}) {
  return (
    <div className={styles.scroller}>
      <table className={styles.table}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column, i) => (
              <th
                key={column ?? `actions-${i}`}
                scope="col"
                className={wideOnly.includes(i) ? styles.wideOnly : undefined}
              >
                {column ?? <span className="visually-hidden">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  )
}
