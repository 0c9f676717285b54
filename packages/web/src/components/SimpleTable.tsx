import type { ReactNode } from 'react'
import styles from './table.module.css'

/**
 * A plain table of a short list the server gives whole (teams, users, labels, policies): a
 * caption for screen readers, column headers, and the rows as children. Long, server-paged lists
 * use `DataTable`.
 */
export function SimpleTable({
  caption,
  columns,
  children,
}: {
  caption: string
  /** Header texts; `null` for an unlabelled column (actions), named for screen readers only. */
  columns: readonly (string | null)[]
  children: ReactNode
}) {
  return (
    <div className={styles.scroller}>
      <table className={styles.table}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column, i) => (
              <th key={column ?? `actions-${i}`} scope="col">
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
