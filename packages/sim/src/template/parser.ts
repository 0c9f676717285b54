import { lex, TemplateError, type Segment, type Token } from './lexer.js'

/** An argument of a command: `.`, `.A.B`, `$x.A`, a function name, a literal or `( pipeline )`. */
export type Operand =
  | { kind: 'dot' }
  | { kind: 'field'; chain: string[] }
  | { kind: 'variable'; name: string; chain: string[] }
  | { kind: 'function'; name: string }
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'pipeline'; pipeline: Pipeline }

/** `printf "%d" .X` — the first operand is what gets called (or printed when it is alone). */
export interface Command {
  operands: Operand[]
}

/** `$i, $x := cmd | cmd`: each command's result is the last argument of the next. */
export interface Pipeline {
  declare: string[]
  commands: Command[]
  line: number
}

export type Node =
  | { kind: 'text'; text: string }
  | { kind: 'output'; pipeline: Pipeline }
  | { kind: 'if'; pipeline: Pipeline; then: Node[]; otherwise: Node[] }
  | { kind: 'range'; pipeline: Pipeline; body: Node[]; otherwise: Node[] }
  | { kind: 'with'; pipeline: Pipeline; body: Node[]; otherwise: Node[] }
  | { kind: 'template'; name: string; pipeline: Pipeline | undefined; line: number }

/** A parsed file: its top-level nodes and every `{{ define "name" }}` block. */
export interface ParsedTemplate {
  name: string
  root: Node[]
  blocks: Map<string, Node[]>
}

type Terminator = { kind: 'eof' } | { kind: 'end' } | { kind: 'else'; rest: TokenReader }

/**
 * Parses Go text/template source (the subset: define, if/else if/else, range with `$i, $x :=`,
 * with, template, pipelines and parenthesised calls).
 * @throws TemplateError with the line of the offending action
 */
export function parseTemplate(src: string, name: string): ParsedTemplate {
  const parser = new Parser(lex(src, name), name)
  const { nodes, term } = parser.list()
  if (term.kind !== 'eof') {
    throw new TemplateError(name, parser.line, `unexpected {{${term.kind}}}`)
  }
  return { name, root: nodes, blocks: parser.blocks }
}

class Parser {
  readonly blocks = new Map<string, Node[]>()
  private index = 0
  line = 1

  constructor(
    private readonly segments: Segment[],
    private readonly name: string,
  ) {}

  /** Nodes up to the next `end`, `else` or end of input. */
  list(): { nodes: Node[]; term: Terminator } {
    const nodes: Node[] = []
    for (;;) {
      const segment = this.segments[this.index++]
      if (segment === undefined) {
        return { nodes, term: { kind: 'eof' } }
      }
      if (segment.kind === 'text') {
        nodes.push({ kind: 'text', text: segment.text })
        continue
      }
      this.line = segment.line
      const reader = new TokenReader(segment.tokens, this.name, segment.line)
      const keyword = reader.keyword()
      switch (keyword) {
        case 'end':
          reader.expectEnd()
          return { nodes, term: { kind: 'end' } }
        case 'else':
          return { nodes, term: { kind: 'else', rest: reader } }
        case 'define':
          this.define(reader)
          break
        case 'if':
          nodes.push(this.conditional(reader))
          break
        case 'range':
        case 'with': {
          const pipeline = reader.pipeline(keyword === 'range' ? 2 : 1)
          const { body, otherwise } = this.body(keyword)
          nodes.push({ kind: keyword, pipeline, body, otherwise })
          break
        }
        case 'template':
          nodes.push(this.templateCall(reader))
          break
        case undefined:
          nodes.push({ kind: 'output', pipeline: reader.pipeline(1) })
          break
      }
    }
  }

  private define(reader: TokenReader): void {
    const name = reader.stringLiteral()
    reader.expectEnd()
    const { nodes, term } = this.list()
    if (term.kind !== 'end') {
      throw new TemplateError(this.name, this.line, `define "${name}" has no matching {{end}}`)
    }
    this.blocks.set(name, nodes)
  }

  /** `if` after its keyword; an `else if` chain nests, sharing the one `end`. */
  private conditional(reader: TokenReader): Node {
    const pipeline = reader.pipeline(1)
    const then = this.list()
    switch (then.term.kind) {
      case 'end':
        return { kind: 'if', pipeline, then: then.nodes, otherwise: [] }
      case 'else': {
        const rest = then.term.rest
        if (rest.keyword() === 'if') {
          return { kind: 'if', pipeline, then: then.nodes, otherwise: [this.conditional(rest)] }
        }
        rest.expectEnd()
        return { kind: 'if', pipeline, then: then.nodes, otherwise: this.closed('if') }
      }
      case 'eof':
        throw new TemplateError(this.name, this.line, 'if has no matching {{end}}')
    }
  }

  private body(keyword: string): { body: Node[]; otherwise: Node[] } {
    const { nodes, term } = this.list()
    switch (term.kind) {
      case 'end':
        return { body: nodes, otherwise: [] }
      case 'else':
        term.rest.expectEnd()
        return { body: nodes, otherwise: this.closed(keyword) }
      case 'eof':
        throw new TemplateError(this.name, this.line, `${keyword} has no matching {{end}}`)
    }
  }

  /** The nodes after an `else`, which only `end` may close. */
  private closed(keyword: string): Node[] {
    const { nodes, term } = this.list()
    if (term.kind !== 'end') {
      throw new TemplateError(this.name, this.line, `${keyword} {{else}} has no matching {{end}}`)
    }
    return nodes
  }

  private templateCall(reader: TokenReader): Node {
    const name = reader.stringLiteral()
    const pipeline = reader.done() ? undefined : reader.pipeline(0)
    return { kind: 'template', name, pipeline, line: this.line }
  }
}

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template'])
const LITERAL_IDENTS = new Map<string, boolean | null>([
  ['true', true],
  ['false', false],
  ['nil', null],
])

/** Reads one action's tokens. */
class TokenReader {
  private pos = 0

  constructor(
    private readonly tokens: Token[],
    private readonly name: string,
    private readonly line: number,
  ) {}

  /** Consumes and returns a leading control keyword, if there is one. */
  keyword(): 'if' | 'else' | 'end' | 'range' | 'with' | 'define' | 'template' | undefined {
    const token = this.tokens[this.pos]
    if (token?.kind !== 'ident' || !KEYWORDS.has(token.name)) {
      return undefined
    }
    this.pos++
    switch (token.name) {
      case 'if':
      case 'else':
      case 'end':
      case 'range':
      case 'with':
      case 'define':
      case 'template':
        return token.name
      default:
        return undefined
    }
  }

  done(): boolean {
    return this.pos >= this.tokens.length
  }

  expectEnd(): void {
    if (!this.done()) {
      throw this.error('unexpected tokens at the end of the action')
    }
  }

  stringLiteral(): string {
    const token = this.tokens[this.pos++]
    if (token?.kind !== 'string') {
      throw this.error('expected a quoted name')
    }
    return token.value
  }

  /** A pipeline to the end of the action, with up to `maxVars` declared variables. */
  pipeline(maxVars: number): Pipeline {
    const declare = this.declarations(maxVars)
    const pipeline = this.commands(declare)
    this.expectEnd()
    return pipeline
  }

  private declarations(maxVars: number): string[] {
    const names: string[] = []
    let p = this.pos
    for (;;) {
      const token = this.tokens[p]
      if (token?.kind !== 'variable' || token.chain.length > 0) {
        return []
      }
      names.push(token.name)
      const sep = this.tokens[p + 1]
      if (sep?.kind === 'punct' && (sep.value === ':=' || sep.value === '=')) {
        if (names.length > maxVars) {
          throw this.error(`too many declared variables`)
        }
        this.pos = p + 2
        return names
      }
      if (sep?.kind !== 'punct' || sep.value !== ',') {
        return []
      }
      p += 2
    }
  }

  private commands(declare: string[]): Pipeline {
    const commands: Command[] = [this.command()]
    for (let t = this.tokens[this.pos]; t?.kind === 'punct' && t.value === '|';) {
      this.pos++
      commands.push(this.command())
      t = this.tokens[this.pos]
    }
    return { declare, commands, line: this.line }
  }

  private command(): Command {
    const operands: Operand[] = []
    for (let t = this.tokens[this.pos]; t !== undefined; t = this.tokens[this.pos]) {
      if (t.kind === 'punct' && (t.value === '|' || t.value === ')')) {
        break
      }
      operands.push(this.operand())
    }
    if (operands.length === 0) {
      throw this.error('missing value for command')
    }
    return { operands }
  }

  private operand(): Operand {
    const token = this.tokens[this.pos++]
    switch (token?.kind) {
      case 'dot':
        return { kind: 'dot' }
      case 'field':
        return { kind: 'field', chain: token.chain }
      case 'variable':
        return { kind: 'variable', name: token.name, chain: token.chain }
      case 'string':
      case 'number':
        return { kind: 'literal', value: token.value }
      case 'ident': {
        const literal = LITERAL_IDENTS.get(token.name)
        return literal === undefined
          ? { kind: 'function', name: token.name }
          : { kind: 'literal', value: literal }
      }
      case 'punct':
        if (token.value === '(') {
          const pipeline = this.commands([])
          const close = this.tokens[this.pos++]
          if (close?.kind !== 'punct' || close.value !== ')') {
            throw this.error('unclosed parenthesis')
          }
          return { kind: 'pipeline', pipeline }
        }
        throw this.error(`unexpected "${token.value}"`)
      case undefined:
        throw this.error('unexpected end of action')
    }
  }

  private error(message: string): TemplateError {
    return new TemplateError(this.name, this.line, message)
  }
}
