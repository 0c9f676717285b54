import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
  type CompletionContext,
  type CompletionResult,
} from '@codemirror/autocomplete'
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands'
import { keywordCompletionSource, SQLite } from '@codemirror/lang-sql'
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language'
import { Compartment, EditorState } from '@codemirror/state'
import { EditorView, keymap, lineNumbers, placeholder } from '@codemirror/view'
import { useEffect, useRef } from 'react'
import schemaJson from '../generated/osquery-schema.json'
import { completeSql, type SchemaTable } from '../lib/sql-completion.js'
import styles from './SqlEditor.module.css'

/** The tables fleetd's engine defines (generated at build time from `fleetd query --schema`). */
const OSQUERY_SCHEMA: readonly SchemaTable[] = schemaJson

/** Offers osquery tables and columns where they fit (see lib/sql-completion.ts). */
function osqueryCompletions(context: CompletionContext): CompletionResult | null {
  const result = completeSql(
    context.state.doc.toString(),
    context.pos,
    OSQUERY_SCHEMA,
    context.explicit,
  )
  return result && { ...result, validFor: /^[\w$]*$/ }
}

const keywords = keywordCompletionSource(SQLite, true)

/** SQL keywords, except after `name.` where only columns fit. */
function keywordCompletions(context: CompletionContext) {
  return context.matchBefore(/[\w$]+\.[\w$]*$/) ? null : keywords(context)
}

/**
 * The editor's look, as a CodeMirror theme: it lives in the editor's shadow root (see SqlEditor),
 * where the console's CSS modules don't reach. The console's CSS variables do (they inherit).
 */
const theme = EditorView.theme({
  '&': { minHeight: '8rem', fontSize: '0.95rem', backgroundColor: 'var(--surface)' },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': { fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace" },
  '.cm-gutters': {
    color: 'var(--muted)',
    backgroundColor: '#eceef6',
    borderRight: '1px solid var(--border)',
  },
  '.cm-placeholder': { color: 'var(--muted)' },
  '.cm-tooltip-autocomplete .cm-completionDetail': {
    color: 'var(--muted)',
    marginLeft: '0.75rem',
    fontStyle: 'normal',
  },
  // The chosen option in the console's colours, its detail as readable as its label.
  '.cm-tooltip-autocomplete ul li[aria-selected]': {
    background: 'var(--purple-dark)',
    color: '#fff',
  },
  '.cm-tooltip-autocomplete ul li[aria-selected] .cm-completionDetail': { color: 'inherit' },
})

/**
 * An osquery SQL editor: CodeMirror 6 with SQLite's dialect (osquery's SQL), keyword highlighting,
 * and completion of the engine's tables and columns. Tab is left to move focus (no indent-on-Tab),
 * so keyboard users are never trapped.
 *
 * The editor lives in a shadow root: CodeMirror injects its styles with a `<style>` element in a
 * document, which the console's CSP (`style-src 'self'`) refuses, but as a constructed stylesheet
 * in a shadow root, which CSP allows. `label` names the editor for assistive technology (an
 * aria-labelledby could not reach a label outside the shadow root).
 */
export function SqlEditor({
  label,
  value,
  onChange,
  readOnly = false,
}: {
  label: string
  value: string
  onChange?: (value: string) => void
  readOnly?: boolean
}) {
  const host = useRef<HTMLDivElement>(null)
  const view = useRef<EditorView | null>(null)
  const editable = useRef(new Compartment())
  const onChangeRef = useRef(onChange)
  onChangeRef.current = onChange

  useEffect(() => {
    const element = host.current
    if (!element) {
      return undefined
    }
    const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' })
    const created = new EditorView({
      parent: root,
      root,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          closeBrackets(),
          SQLite.language,
          SQLite.language.data.of({ autocomplete: osqueryCompletions }),
          SQLite.language.data.of({ autocomplete: keywordCompletions }),
          autocompletion({ icons: false }),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          keymap.of([
            ...closeBracketsKeymap,
            ...defaultKeymap,
            ...historyKeymap,
            ...completionKeymap,
          ]),
          placeholder('SELECT * FROM os_version'),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': label }),
          theme,
          editable.current.of(readOnlyExtensions(readOnly)),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) {
              onChangeRef.current?.(update.state.doc.toString())
            }
          }),
        ],
      }),
    })
    view.current = created
    return () => {
      created.destroy()
      view.current = null
    }
    // The editor is made once per label; value and readOnly changes reach it through the effects
    // below, so the initial `value` and `readOnly` are deliberately not dependencies here.
  }, [label])

  useEffect(() => {
    const current = view.current
    if (current && current.state.doc.toString() !== value) {
      current.dispatch({ changes: { from: 0, to: current.state.doc.length, insert: value } })
    }
  }, [value])

  useEffect(() => {
    view.current?.dispatch({ effects: editable.current.reconfigure(readOnlyExtensions(readOnly)) })
  }, [readOnly])

  return <div ref={host} className={styles.editor} />
}

function readOnlyExtensions(readOnly: boolean) {
  return [EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]
}
