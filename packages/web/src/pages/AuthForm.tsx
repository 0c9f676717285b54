import type { FormEvent, ReactNode } from 'react'
import { Button, ErrorNotice } from '../components/ui.js'
import styles from './auth.module.css'

/** The frame of the signed-out pages (login, setup): a title, the fields, errors, one button. */
export function AuthForm({
  title,
  lead,
  submit,
  mutation,
  children,
}: {
  title: string
  lead?: string
  submit: string
  mutation: { mutate: () => void; isPending: boolean; isError: boolean; error: unknown }
  children: ReactNode
}) {
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    mutation.mutate()
  }
  return (
    <div className={styles.page}>
      <main className={styles.box}>
        <h1>{title}</h1>
        {lead ? <p className={styles.lead}>{lead}</p> : null}
        {mutation.isError ? <ErrorNotice error={mutation.error} /> : null}
        <form onSubmit={onSubmit}>
          {children}
          <Button type="submit" disabled={mutation.isPending}>
            {submit}
          </Button>
        </form>
      </main>
    </div>
  )
}
