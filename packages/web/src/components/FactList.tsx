import type { ReactNode } from 'react'
import styles from './facts.module.css'

/** Labelled facts about a host (its vitals), in as many columns as the width allows. */
export function FactList({
  rows,
  className,
}: {
  rows: readonly (readonly [string, ReactNode])[]
  /** Extra class, e.g. to set `--fact-width` (the narrowest a column gets; 14rem by default). */
  className?: string
}) {
  return (
    <dl className={className ? `${styles.facts} ${className}` : styles.facts}>
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  )
}
