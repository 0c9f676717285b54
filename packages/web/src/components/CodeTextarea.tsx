import { useRef, type UIEvent } from 'react'
import type { LineProblem } from '../lib/yaml-lines.js'
import styles from './code-textarea.module.css'

/** Selects line `line` (1-based) of a textarea and scrolls it into view. */
function goToLine(textarea: HTMLTextAreaElement | null, line: number): void {
  if (!textarea) {
    return
  }
  const lines = textarea.value.split('\n')
  const start = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0)
  const end = start + (lines[line - 1]?.length ?? 0)
  textarea.focus()
  textarea.setSelectionRange(start, end)
  const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 20
  textarea.scrollTop = Math.max(0, (line - 3) * lineHeight)
}

/**
 * A plain monospace editor with line numbers, for YAML and other configuration text. Problems are
 * shown at their lines: the line number and a band across the line are marked, and the list
 * under the editor names each line (a button that selects it) and the problem.
 */
export function CodeTextarea({
  id,
  label,
  value,
  onChange,
  problems = [],
  readOnly = false,
  rows = 20,
}: {
  id: string
  label: string
  value: string
  onChange: (value: string) => void
  problems?: readonly LineProblem[]
  readOnly?: boolean
  rows?: number
}) {
  const textarea = useRef<HTMLTextAreaElement>(null)
  const gutter = useRef<HTMLDivElement>(null)
  const backdrop = useRef<HTMLDivElement>(null)
  const count = value.split('\n').length
  const marked = new Set(problems.map((p) => p.line))
  const onScroll = (event: UIEvent<HTMLTextAreaElement>) => {
    const { scrollTop, scrollLeft } = event.currentTarget
    if (gutter.current) {
      gutter.current.scrollTop = scrollTop
    }
    if (backdrop.current) {
      backdrop.current.scrollTop = scrollTop
      backdrop.current.scrollLeft = scrollLeft
    }
  }
  const numbers = Array.from({ length: count }, (_, i) => i + 1)
  return (
    <div className={styles.wrap}>
      <label htmlFor={id}>{label}</label>
      <div className={styles.editor} style={{ height: `${rows * 1.5 + 1}em` }}>
        <div className={styles.gutter} ref={gutter} aria-hidden="true">
          {numbers.map((n) => (
            <div key={n} className={marked.has(n) ? styles.markedNumber : undefined}>
              {n}
            </div>
          ))}
        </div>
        <div className={styles.body}>
          <div className={styles.backdrop} ref={backdrop} aria-hidden="true">
            {numbers.map((n) => (
              <div key={n} className={marked.has(n) ? styles.markedLine : undefined} />
            ))}
          </div>
          <textarea
            id={id}
            ref={textarea}
            className={styles.text}
            value={value}
            readOnly={readOnly}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            wrap="off"
            aria-invalid={problems.length > 0}
            aria-describedby={problems.length > 0 ? `${id}-problems` : undefined}
            onChange={(e) => onChange(e.target.value)}
            onScroll={onScroll}
          />
        </div>
      </div>
      {problems.length > 0 ? (
        <ul id={`${id}-problems`} className={styles.problems} aria-label="Problems">
          {problems.map((p, i) => (
            <li key={`${p.line}-${i}`}>
              <button type="button" onClick={() => goToLine(textarea.current, p.line)}>
                Line {p.line}
              </button>
              <span>{p.message}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}
