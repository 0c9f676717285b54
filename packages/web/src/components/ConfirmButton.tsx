import { useState, type ReactNode } from 'react'
import { Button } from './ui.js'
import styles from './ui.module.css'

/**
 * A destructive action asked twice: the first press shows the question in place with
 * "Confirm" and "Cancel", so no browser dialog interrupts keyboard users or tests.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel = 'Confirm',
  busy = false,
  onConfirm,
}: {
  label: string
  question: ReactNode
  confirmLabel?: string
  busy?: boolean
  onConfirm: () => void
}) {
  const [asking, setAsking] = useState(false)
  if (!asking) {
    return (
      <Button variant="danger" onClick={() => setAsking(true)}>
        {label}
      </Button>
    )
  }
  return (
    <span className={styles.confirm} role="group" aria-label={label}>
      <span>{question}</span>
      <Button
        variant="danger"
        disabled={busy}
        autoFocus
        onClick={() => {
          onConfirm()
        }}
      >
        {busy ? 'Working…' : confirmLabel}
      </Button>
      <Button variant="secondary" onClick={() => setAsking(false)}>
        Cancel
      </Button>
    </span>
  )
}
