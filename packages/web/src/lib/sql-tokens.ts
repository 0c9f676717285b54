/** A token of osquery SQL as the completion needs it: words, punctuation, literals skipped. */
export interface SqlToken {
  kind: 'word' | 'punct'
  /** The text as written (words keep their case; compare keywords upper-cased). */
  text: string
  from: number
  to: number
}

const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y
const QUOTED_NAME = /"(?:[^"]|"")*"?|`[^`]*`?|\[[^\]]*\]?/y
const STRING = /'(?:[^']|'')*'?/y
const LINE_COMMENT = /--[^\n]*/y
const BLOCK_COMMENT = /\/\*[\s\S]*?(?:\*\/|$)/y
const NUMBER = /\d[\w.]*/y

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at
  return pattern.exec(text)?.[0]
}

/**
 * Splits SQL into words and punctuation, skipping whitespace, comments, strings and numbers (the
 * completion never looks inside them). Quoted names (`"users"`) come back as words without quotes.
 */
export function tokenize(sql: string): SqlToken[] {
  const tokens: SqlToken[] = []
  let at = 0
  while (at < sql.length) {
    const ch = sql.charAt(at)
    if (/\s/.test(ch)) {
      at++
      continue
    }
    const skipped =
      matchAt(LINE_COMMENT, sql, at) ??
      matchAt(BLOCK_COMMENT, sql, at) ??
      matchAt(STRING, sql, at) ??
      matchAt(NUMBER, sql, at)
    if (skipped) {
      at += skipped.length
      continue
    }
    const word = matchAt(WORD, sql, at)
    if (word) {
      tokens.push({ kind: 'word', text: word, from: at, to: at + word.length })
      at += word.length
      continue
    }
    const quoted = matchAt(QUOTED_NAME, sql, at)
    if (quoted) {
      const inner = quoted.replace(/^["`[]|["`\]]$/g, '')
      tokens.push({ kind: 'word', text: inner, from: at, to: at + quoted.length })
      at += quoted.length
      continue
    }
    tokens.push({ kind: 'punct', text: ch, from: at, to: at + 1 })
    at++
  }
  return tokens
}

/** The statement around `pos`: from after the previous `;` to the next one (or the ends). */
export function statementAt(sql: string, pos: number): { text: string; offset: number } {
  const semicolons = tokenize(sql).filter((t) => t.kind === 'punct' && t.text === ';')
  let start = 0
  let end = sql.length
  for (const t of semicolons) {
    if (t.to <= pos) {
      start = t.to
    } else {
      end = t.from
      break
    }
  }
  return { text: sql.slice(start, end), offset: start }
}
