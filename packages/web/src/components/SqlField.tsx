import { SqlEditor } from './SqlEditor.js'
import styles from './SqlEditor.module.css'

/**
 * A form's osquery SQL field (queries, policies, labels): a caption, the SQL editor named by the
 * same words for assistive technology (the caption itself is hidden from it, so the name is not
 * read twice: a `<label>` cannot point into the editor's shadow root), and how to complete.
 */
export function SqlField({
  label,
  value,
  onChange,
}: {
  label: string
  value: string
  onChange: (value: string) => void
}) {
  return (
    <div>
      <span aria-hidden="true" className={styles.caption}>
        {label}
      </span>
      <SqlEditor label={label} value={value} onChange={onChange} />
      <p className={styles.hint}>
        Ctrl-Space lists the osquery tables after FROM and their columns elsewhere.
      </p>
    </div>
  )
}
