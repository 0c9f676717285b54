import { Field } from './ui.js'

/** A labelled file picker reporting the chosen file (undefined once cleared). */
export function FileField({
  id,
  label,
  accept,
  onChange,
}: {
  id: string
  label: string
  /** File name extensions and media types offered first, as the input's `accept`. */
  accept: string
  onChange: (file: File | undefined) => void
}) {
  return (
    <Field id={id} label={label}>
      {(fieldId) => (
        <input
          id={fieldId}
          type="file"
          accept={accept}
          onChange={(e) => onChange(e.target.files?.[0])}
        />
      )}
    </Field>
  )
}
