import { useState } from 'react'
import ui from '../../components/ui.module.css'
import {
  COLUMNS_STORAGE_KEY,
  FIXED_COLUMN,
  HOST_COLUMNS,
  parseStoredColumns,
  toggleColumn,
} from '../../lib/host-columns.js'
import styles from './hosts.module.css'

function readStored(): string | null {
  try {
    return localStorage.getItem(COLUMNS_STORAGE_KEY)
  } catch {
    return null // storage off (private mode): the defaults, not remembered
  }
}

/** The shown columns, remembered in this browser's localStorage. */
export function useShownColumns(): [string[], (id: string) => void] {
  const [shown, setShown] = useState(() => parseStoredColumns(readStored()))
  const toggle = (id: string) => {
    const next = toggleColumn(shown, id)
    setShown(next)
    try {
      localStorage.setItem(COLUMNS_STORAGE_KEY, JSON.stringify(next))
    } catch {
      // not remembered; the table still changes
    }
  }
  return [shown, toggle]
}

/** "Columns": a disclosure with a checkbox per column. */
export function ColumnChooser({
  shown,
  toggle,
}: {
  shown: readonly string[]
  toggle: (id: string) => void
}) {
  return (
    <details className={styles.chooser}>
      <summary className={`${ui.button} ${ui.secondary}`}>Columns</summary>
      <div className={styles.chooserMenu}>
        <fieldset>
          <legend>Shown columns</legend>
          {HOST_COLUMNS.map((c) => (
            <label key={c.id}>
              <input
                type="checkbox"
                checked={shown.includes(c.id)}
                disabled={c.id === FIXED_COLUMN}
                onChange={() => toggle(c.id)}
              />
              {c.label}
            </label>
          ))}
        </fieldset>
      </div>
    </details>
  )
}
