import { Button } from './ui.js'

/** A form's submit button (saying "Saving…" while it runs) and its cancel/close button. */
export function FormButtons({
  label,
  saving,
  onCancel,
  cancelLabel = 'Cancel',
}: {
  label: string
  saving: boolean
  onCancel: () => void
  cancelLabel?: string
}) {
  return (
    <>
      <Button type="submit" disabled={saving}>
        {saving ? 'Saving…' : label}
      </Button>{' '}
      <Button variant="secondary" onClick={onCancel}>
        {cancelLabel}
      </Button>
    </>
  )
}
