import styles from './chart.module.css'

export interface Bar {
  key: string
  label: string
  value: number
}

/**
 * A horizontal bar chart: one row per item with its label, an SVG bar scaled to the largest value,
 * and the number. Bars are all a dashboard needs, so no chart library (and its 50–200 KB) comes
 * with it; the rows are a list, so screen readers read each label with its number.
 */
export function BarChart({ label, items, unit }: { label: string; items: Bar[]; unit: string }) {
  const largest = Math.max(1, ...items.map((i) => i.value))
  return (
    <ul className={styles.chart} aria-label={label}>
      {items.map((item) => (
        <li key={item.key}>
          <span className={styles.label}>{item.label}</span>
          <svg
            className={styles.bar}
            viewBox="0 0 100 10"
            preserveAspectRatio="none"
            aria-hidden="true"
            focusable="false"
          >
            <rect x="0" y="0" height="10" width={Math.max(1, (100 * item.value) / largest)} />
          </svg>
          <span className={styles.value}>
            {item.value}
            <span className="visually-hidden"> {unit}</span>
          </span>
        </li>
      ))}
    </ul>
  )
}
