/**
 * A small SQLite tokenizer, enough to split a query into statements and to find literal
 * constraints on `path` and `directory` (better-sqlite3's virtual tables only pass `=` constraints
 * on hidden columns, but osquery's file and hash tables need `LIKE` too and show those columns).
 */

type TokenKind = 'string' | 'word' | 'number' | 'op' | 'semi'

interface Token {
  kind: TokenKind
  text: string
  /** Offset in the source where the token starts / ends. */
  start: number
  end: number
}

/** A literal constraint on a column: `path = '/etc/hosts'`, `directory LIKE '/home/%'`. */
export interface ConstraintHint {
  column: string
  op: 'eq' | 'like'
  value: string
}

const WORD = /[A-Za-z0-9_$\u0080-\uffff]/

function readQuoted(sql: string, start: number, close: string): number {
  let i = start + 1
  while (i < sql.length) {
    if (sql[i] === close) {
      if (sql[i + 1] === close) {
        i += 2
        continue
      }
      return i + 1
    }
    i += 1
  }
  return sql.length
}

function skipComment(sql: string, i: number): number {
  if (sql.startsWith('--', i)) {
    const nl = sql.indexOf('\n', i)
    return nl < 0 ? sql.length : nl + 1
  }
  if (sql.startsWith('/*', i)) {
    const close = sql.indexOf('*/', i + 2)
    return close < 0 ? sql.length : close + 2
  }
  return i
}

/** Tokens of a SQL text, comments and whitespace dropped. Never throws on malformed input. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < sql.length) {
    const ch = sql[i] ?? ''
    const afterComment = skipComment(sql, i)
    if (afterComment !== i) {
      i = afterComment
    } else if (/\s/.test(ch)) {
      i += 1
    } else if (ch === "'") {
      const end = readQuoted(sql, i, "'")
      tokens.push({
        kind: 'string',
        text: sql.slice(i + 1, end - 1).replace(/''/g, "'"),
        start: i,
        end,
      })
      i = end
    } else if (ch === '"' || ch === '`' || ch === '[') {
      const end = ch === '[' ? sql.indexOf(']', i) + 1 || sql.length : readQuoted(sql, i, ch)
      tokens.push({ kind: 'word', text: sql.slice(i + 1, end - 1), start: i, end })
      i = end
    } else if (ch === ';') {
      tokens.push({ kind: 'semi', text: ';', start: i, end: i + 1 })
      i += 1
    } else if (WORD.test(ch)) {
      let j = i
      while (j < sql.length && WORD.test(sql[j] ?? '')) {
        j += 1
      }
      const text = sql.slice(i, j)
      tokens.push({ kind: /^\d/.test(text) ? 'number' : 'word', text, start: i, end: j })
      i = j
    } else {
      const two = sql.slice(i, i + 2)
      const op = ['==', '!=', '<>', '<=', '>=', '||', '<<', '>>'].includes(two) ? two : ch
      tokens.push({ kind: 'op', text: op, start: i, end: i + op.length })
      i += op.length
    }
  }
  return tokens
}

/**
 * The statements of a SQL text, each without its trailing `;`; empty statements dropped. (Triggers,
 * whose bodies hold `;`, can't be created: the engine's database is query-only.)
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = []
  let start = 0
  let depth = 0
  for (const token of tokenize(sql)) {
    const word = token.kind === 'word' ? token.text.toUpperCase() : ''
    if (word === 'CASE') {
      depth += 1
    } else if (word === 'END' && depth > 0) {
      depth -= 1
    } else if (token.kind === 'semi' && depth === 0) {
      out.push(sql.slice(start, token.start))
      start = token.end
    }
  }
  out.push(sql.slice(start))
  return out.filter((statement) => tokenize(statement).length > 0)
}

function isColumn(tokens: Token[], i: number, names: ReadonlySet<string>): boolean {
  const token = tokens[i]
  return (
    token?.kind === 'word' && names.has(token.text.toLowerCase()) && tokens[i + 1]?.text !== '('
  )
}

/** Literal strings after `IN (`, until the closing parenthesis. */
function inList(tokens: Token[], open: number): string[] {
  const values: string[] = []
  for (let i = open + 1; i < tokens.length; i += 1) {
    const token = tokens[i]
    if (!token || token.text === ')') {
      break
    }
    if (token.kind === 'string') {
      values.push(token.text)
    }
  }
  return values
}

function constraintAt(
  tokens: Token[],
  i: number,
): { op: 'eq' | 'like'; values: string[] } | undefined {
  const op = tokens[i + 1]
  const value = tokens[i + 2]
  if (!op || !value) {
    return undefined
  }
  const opText = op.text.toUpperCase()
  if ((opText === '=' || opText === '==') && value.kind === 'string') {
    return { op: 'eq', values: [value.text] }
  }
  if ((opText === 'LIKE' || opText === 'GLOB') && value.kind === 'string') {
    return { op: 'like', values: [opText === 'GLOB' ? value.text.replace(/\*/g, '%') : value.text] }
  }
  if (opText === 'IN' && value.text === '(') {
    return { op: 'eq', values: inList(tokens, i + 2) }
  }
  return undefined
}

/**
 * Literal constraints on the given columns anywhere in a statement: `col = 'x'`, `'x' = col`,
 * `col LIKE 'x%'`, `col IN ('a', 'b')` (qualified names such as `f.path` count). Over-collecting is
 * safe: SQLite still applies the real WHERE clause to the rows a table generates.
 */
export function constraintHints(sql: string, columns: readonly string[]): ConstraintHint[] {
  const names = new Set(columns.map((c) => c.toLowerCase()))
  const tokens = tokenize(sql)
  const hints: ConstraintHint[] = []
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]
    if (!token || !isColumn(tokens, i, names)) {
      continue
    }
    const column = token.text.toLowerCase()
    const found = constraintAt(tokens, i)
    if (found) {
      hints.push(...found.values.map((value) => ({ column, op: found.op, value })))
      continue
    }
    const before = tokens[i - 1]
    const literal = tokens[i - 2]
    if ((before?.text === '=' || before?.text === '==') && literal?.kind === 'string') {
      hints.push({ column, op: 'eq', value: literal.text })
    }
  }
  return hints
}
