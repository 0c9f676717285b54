import { useState } from 'react'
import { useFormMutation } from '../../../app/mutations.js'
import { FormButtons } from '../../../components/FormButtons.js'
import { Card, ErrorNotice, TextInput } from '../../../components/ui.js'
import styles from '../../admin.module.css'

/** A team's name, for a new team or a rename: `save` sends it, the team lists refresh. */
export function TeamNameForm({
  id,
  title,
  initial,
  submitLabel,
  save,
  onDone,
}: {
  id: string
  title: string
  initial: string
  submitLabel: string
  save: (name: string) => Promise<unknown>
  onDone: () => void
}) {
  const [name, setName] = useState(initial)
  const { mutation, onSubmit } = useFormMutation(() => save(name), {
    invalidate: [['team'], ['teams'], ['me']],
    onDone,
  })
  return (
    <Card title={title}>
      {mutation.isError ? <ErrorNotice error={mutation.error} /> : null}
      <form className={styles.inline} onSubmit={onSubmit}>
        <TextInput id={id} label="Team name" required value={name} onChange={setName} />
        <FormButtons label={submitLabel} saving={mutation.isPending} onCancel={onDone} />
      </form>
    </Card>
  )
}
