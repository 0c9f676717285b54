import type { ReactNode } from 'react'
import styles from './device.module.css'

/** The frame of My device: no console navigation, nothing that needs a signed-in user. */
export function DeviceFrame({ children }: { children: ReactNode }) {
  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <span className={styles.brand}>Fleet</span>
        <span>My device</span>
      </header>
      <main className={styles.main} id="main">
        {children}
      </main>
    </div>
  )
}
