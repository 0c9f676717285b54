import type { ButtonHTMLAttributes, InputHTMLAttributes, ReactNode } from 'react'
import { describeError } from '../lib/errors.js'
import styles from './ui.module.css'

/** The console's own small component set: one look, built on plain elements and CSS modules. */
export function Button({
  variant = 'primary',
  className,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger' }) {
  const extra = variant === 'primary' ? '' : ` ${styles[variant]}`
  return (
    <button type="button" className={`${styles.button}${extra} ${className ?? ''}`} {...props} />
  )
}

export function Card({ title, children }: { title?: string; children: ReactNode }) {
  return (
    <section className={styles.card} aria-label={title}>
      {title ? <h2>{title}</h2> : null}
      {children}
    </section>
  )
}

/** A labelled input: the label is always visible and tied to the control. */
export function Field({
  id,
  label,
  children,
}: {
  id: string
  label: string
  children: (id: string) => ReactNode
}) {
  return (
    <div className={styles.field}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  )
}

/** A failed call in plain words, with the server's message ("You don't have access: ..."). */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { title, detail } = describeError(error)
  return (
    <div className={styles.alert} role="alert">
      <strong>{title}</strong>
      {detail}
      {onRetry ? (
        <div>
          <Button variant="secondary" onClick={onRetry}>
            Try again
          </Button>
        </div>
      ) : null}
    </div>
  )
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className={`${styles.alert} ${styles.info}`} role="status">
      {children}
    </div>
  )
}

export function Loading({ what }: { what: string }) {
  return (
    <p className={styles.status} role="status" aria-live="polite">
      Loading {what}…
    </p>
  )
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className={styles.status}>{children}</p>
}

/** A status or pass/fail word with its colour; the word itself carries the meaning. */
export function Badge({ tone, children }: { tone: string; children: ReactNode }) {
  return <span className={`${styles.badge} ${styles[tone] ?? ''}`}>{children}</span>
}

/** A labelled text input bound to a value: the form fields of login, setup and search. */
export function TextInput({
  id,
  label,
  value,
  onChange,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> & {
  id: string
  label: string
  value: string
  onChange: (value: string) => void
}) {
  return (
    <Field id={id} label={label}>
      {(inputId) => (
        <input id={inputId} value={value} onChange={(e) => onChange(e.target.value)} {...input} />
      )}
    </Field>
  )
}

/** Problems found in a form before it went to the server, in one alert. */
export function ProblemList({ title, problems }: { title: string; problems: readonly string[] }) {
  if (problems.length === 0) {
    return null
  }
  return (
    <div className={styles.alert} role="alert">
      <strong>{title}</strong>
      <ul>
        {problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    </div>
  )
}
