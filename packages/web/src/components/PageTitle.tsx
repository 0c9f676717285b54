import type { ReactNode } from 'react'
import styles from './page.module.css'

/** A page's or section's title with its actions beside it (wrapping below on a phone). */
export function PageTitle({
  title,
  level = 1,
  children,
}: {
  title: ReactNode
  level?: 1 | 2
  children?: ReactNode
}) {
  const Heading = level === 1 ? 'h1' : 'h2'
  return (
    <div className={styles.titleRow}>
      <Heading>{title}</Heading>
      {children ? <div className={styles.actions}>{children}</div> : null}
    </div>
  )
}

/** Facts as term/value pairs in a grid (a policy's fields, an account's email and role). */
export function Facts({ items }: { items: readonly [string, ReactNode][] }) {
  return (
    <dl className={styles.facts}>
      {items.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  )
}
