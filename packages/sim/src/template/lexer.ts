/**
 * Lexer for the subset of Go's text/template that osquery-perf's `.tmpl` files use: text, actions
 * `{{ ... }}` with the `{{- ` / ` -}}` whitespace-trim markers, and comments `{{/* ... *\/}}`.
 */

/** One token inside an action. */
export type Token =
  | { kind: 'dot' }
  | { kind: 'field'; chain: string[] }
  | { kind: 'variable'; name: string; chain: string[] }
  | { kind: 'ident'; name: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'punct'; value: '(' | ')' | ',' | '|' | ':=' | '=' }

/** The template source cut into text and actions (comments dropped, trim markers applied). */
export type Segment =
  { kind: 'text'; text: string } | { kind: 'action'; tokens: Token[]; line: number }

/** A syntax or execution error, with the template name and line. */
export class TemplateError extends Error {
  constructor(template: string, line: number, message: string) {
    super(`template ${template}:${line}: ${message}`)
    this.name = 'TemplateError'
  }
}

const SPACE = /[ \t\r\n]/
const IDENT_START = /[A-Za-z_]/
const IDENT_CHAR = /[A-Za-z0-9_]/

/** Cuts `src` into segments. Throws {@link TemplateError} on an unterminated action or string. */
export function lex(src: string, name: string): Segment[] {
  const segments: Segment[] = []
  let pos = 0
  let trimNextText = false
  while (pos < src.length) {
    const open = src.indexOf('{{', pos)
    let text = src.slice(pos, open === -1 ? src.length : open)
    if (trimNextText) {
      text = text.replace(/^[ \t\r\n]+/, '')
    }
    if (open === -1) {
      pushText(segments, text)
      break
    }
    const trimLeft = src[open + 2] === '-' && SPACE.test(src[open + 3] ?? '')
    if (trimLeft) {
      text = text.replace(/[ \t\r\n]+$/, '')
    }
    pushText(segments, text)
    const line = lineAt(src, open)
    const action = new ActionLexer(src, open + (trimLeft ? 4 : 2), name, line)
    const tokens = action.run()
    if (tokens !== undefined) {
      segments.push({ kind: 'action', tokens, line })
    }
    pos = action.pos
    trimNextText = action.trimRight
  }
  return segments
}

function pushText(segments: Segment[], text: string): void {
  if (text !== '') {
    segments.push({ kind: 'text', text })
  }
}

function lineAt(src: string, offset: number): number {
  let line = 1
  for (let i = src.indexOf('\n'); i !== -1 && i < offset; i = src.indexOf('\n', i + 1)) {
    line++
  }
  return line
}

/** Reads one action from just after `{{` (and its trim marker) to just after `}}`. */
class ActionLexer {
  pos: number
  trimRight = false

  constructor(
    private readonly src: string,
    start: number,
    private readonly name: string,
    private readonly line: number,
  ) {
    this.pos = start
  }

  /** The action's tokens, or undefined for a comment. */
  run(): Token[] | undefined {
    this.skipSpace()
    if (this.src.startsWith('/*', this.pos)) {
      const close = this.src.indexOf('*/', this.pos + 2)
      if (close === -1) {
        throw this.error('unclosed comment')
      }
      this.pos = close + 2
      this.skipSpace()
      if (!this.atClose()) {
        throw this.error('comment ends before the closing delimiter')
      }
      return undefined
    }
    const tokens: Token[] = []
    while (!this.atClose()) {
      tokens.push(this.next())
      this.skipSpace()
    }
    return tokens
  }

  /** True (and consumes it) at `}}` or ` -}}`. */
  private atClose(): boolean {
    if (this.pos >= this.src.length) {
      throw this.error('unclosed action')
    }
    if (this.src.startsWith('-}}', this.pos) && SPACE.test(this.src[this.pos - 1] ?? '')) {
      this.trimRight = true
      this.pos += 3
      return true
    }
    if (this.src.startsWith('}}', this.pos)) {
      this.pos += 2
      return true
    }
    return false
  }

  private next(): Token {
    const c = this.src[this.pos] ?? ''
    if (c === '"') {
      return { kind: 'string', value: this.quoted() }
    }
    if (c === '`') {
      const close = this.src.indexOf('`', this.pos + 1)
      if (close === -1) {
        throw this.error('unterminated raw string')
      }
      const value = this.src.slice(this.pos + 1, close)
      this.pos = close + 1
      return { kind: 'string', value }
    }
    if (c === '.') {
      this.pos++
      if (!IDENT_START.test(this.src[this.pos] ?? '')) {
        return { kind: 'dot' }
      }
      return { kind: 'field', chain: this.chain(this.ident()) }
    }
    if (c === '$') {
      this.pos++
      const name = IDENT_CHAR.test(this.src[this.pos] ?? '') ? this.ident() : ''
      return { kind: 'variable', name: `$${name}`, chain: this.chain() }
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(this.src[this.pos + 1] ?? ''))) {
      const match = /^-?[0-9]+(\.[0-9]+)?/.exec(this.src.slice(this.pos, this.pos + 64)) ?? ['']
      this.pos += match[0].length
      return { kind: 'number', value: Number(match[0]) }
    }
    if (IDENT_START.test(c)) {
      return { kind: 'ident', name: this.ident() }
    }
    if (this.src.startsWith(':=', this.pos)) {
      this.pos += 2
      return { kind: 'punct', value: ':=' }
    }
    if (c === '(' || c === ')' || c === ',' || c === '|' || c === '=') {
      this.pos++
      return { kind: 'punct', value: c }
    }
    throw this.error(`unexpected character ${JSON.stringify(c)} in action`)
  }

  /** `.A.B` after a first name: the whole chain. */
  private chain(first?: string): string[] {
    const chain = first === undefined ? [] : [first]
    while (this.src[this.pos] === '.' && IDENT_START.test(this.src[this.pos + 1] ?? '')) {
      this.pos++
      chain.push(this.ident())
    }
    return chain
  }

  private ident(): string {
    const start = this.pos
    while (IDENT_CHAR.test(this.src[this.pos] ?? '')) {
      this.pos++
    }
    return this.src.slice(start, this.pos)
  }

  /** A Go interpreted string literal; its escapes are close enough to JSON's for JSON.parse. */
  private quoted(): string {
    let end = this.pos + 1
    while (end < this.src.length && this.src[end] !== '"') {
      end += this.src[end] === '\\' ? 2 : 1
    }
    if (end >= this.src.length) {
      throw this.error('unterminated string')
    }
    const literal = this.src.slice(this.pos, end + 1)
    this.pos = end + 1
    let value: unknown
    try {
      value = JSON.parse(literal)
    } catch {
      throw this.error(`unsupported escape in string literal ${literal}`)
    }
    if (typeof value !== 'string') {
      throw this.error(`bad string literal ${literal}`)
    }
    return value
  }

  private skipSpace(): void {
    while (SPACE.test(this.src[this.pos] ?? '')) {
      this.pos++
    }
  }

  private error(message: string): TemplateError {
    return new TemplateError(this.name, this.line, message)
  }
}
