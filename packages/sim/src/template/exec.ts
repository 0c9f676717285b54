import { TemplateError } from './lexer.js'
import type { Command, Node, Operand, ParsedTemplate, Pipeline } from './parser.js'
import { formatValue, sprintf } from './printf.js'

/**
 * A method in template data, as Go calls methods on structs: `.CachedString "hostname"` calls it
 * with `"hostname"`; `.ConfigInterval.Seconds` calls `Seconds` with no arguments.
 */
export type TemplateMethod = (...args: unknown[]) => unknown

type Builtin = (args: unknown[]) => unknown

/**
 * Executes `{{ define "<block>" }}` of a parsed template with `data` as `.` and `$`.
 * Values print as Go prints them, with no escaping (text/template, not html/template).
 * @throws TemplateError for an unknown block, field or function
 */
export function executeBlock(template: ParsedTemplate, block: string, data: unknown): string {
  const nodes = template.blocks.get(block)
  if (nodes === undefined) {
    throw new TemplateError(template.name, 0, `no template "${block}"`)
  }
  const executor = new Executor(template, data)
  executor.list(nodes, data)
  return executor.output.join('')
}

/** Go's notion of "true": not false, 0, nil, or an empty string, array or map. */
export function isTrue(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.length > 0
  }
  if (isRecord(value)) {
    return Object.keys(value).length > 0
  }
  return value !== false && value !== 0 && value !== '' && value !== null && value !== undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isMethod(value: unknown): value is TemplateMethod {
  return typeof value === 'function'
}

class Executor {
  readonly output: string[] = []
  private readonly vars: Array<{ name: string; value: unknown }>
  private line = 0

  constructor(
    private readonly template: ParsedTemplate,
    root: unknown,
  ) {
    this.vars = [{ name: '$', value: root }]
  }

  list(nodes: readonly Node[], dot: unknown): void {
    const mark = this.vars.length
    for (const node of nodes) {
      this.node(node, dot)
    }
    this.vars.length = mark
  }

  private node(node: Node, dot: unknown): void {
    switch (node.kind) {
      case 'text':
        this.output.push(node.text)
        return
      case 'output': {
        const value = this.pipeline(node.pipeline, dot)
        if (node.pipeline.declare.length === 0) {
          this.output.push(formatValue(value))
        }
        return
      }
      case 'if':
        this.list(isTrue(this.pipeline(node.pipeline, dot)) ? node.then : node.otherwise, dot)
        return
      case 'with': {
        const value = this.pipeline(node.pipeline, dot)
        this.list(isTrue(value) ? node.body : node.otherwise, isTrue(value) ? value : dot)
        return
      }
      case 'range':
        this.range(node.pipeline, node.body, node.otherwise, dot)
        return
      case 'template': {
        this.line = node.line
        const value = node.pipeline === undefined ? undefined : this.pipeline(node.pipeline, dot)
        const nodes = this.template.blocks.get(node.name)
        if (nodes === undefined) {
          throw this.error(`no template "${node.name}"`)
        }
        const saved = this.vars.splice(0)
        this.vars.push({ name: '$', value })
        this.list(nodes, value)
        this.vars.splice(0, this.vars.length, ...saved)
        return
      }
    }
  }

  private range(pipeline: Pipeline, body: Node[], otherwise: Node[], dot: unknown): void {
    const value = this.evaluate(pipeline, dot)
    const entries: Array<[unknown, unknown]> = Array.isArray(value)
      ? value.map((item, index) => [index, item])
      : isRecord(value)
        ? Object.keys(value)
            .sort()
            .map((key) => [key, value[key]])
        : typeof value === 'number'
          ? Array.from({ length: Math.max(0, value) }, (_, i) => [i, i])
          : []
    if (entries.length === 0) {
      this.list(otherwise, dot)
      return
    }
    const [keyVar, valueVar] =
      pipeline.declare.length === 2 ? pipeline.declare : [undefined, pipeline.declare[0]]
    for (const [key, item] of entries) {
      const mark = this.vars.length
      if (keyVar !== undefined) {
        this.vars.push({ name: keyVar, value: key })
      }
      if (valueVar !== undefined) {
        this.vars.push({ name: valueVar, value: item })
      }
      this.list(body, item)
      this.vars.length = mark
    }
  }

  /** Evaluates a pipeline and binds its declared variable (one, outside `range`). */
  private pipeline(pipeline: Pipeline, dot: unknown): unknown {
    const value = this.evaluate(pipeline, dot)
    for (const name of pipeline.declare) {
      this.vars.push({ name, value })
    }
    return value
  }

  private evaluate(pipeline: Pipeline, dot: unknown): unknown {
    this.line = pipeline.line
    let value: unknown
    pipeline.commands.forEach((command, i) => {
      value = this.command(command, dot, i === 0 ? [] : [value])
    })
    return value
  }

  private command(command: Command, dot: unknown, piped: unknown[]): unknown {
    const [first, ...rest] = command.operands
    if (first === undefined) {
      throw this.error('empty command')
    }
    if (first.kind === 'function') {
      return this.call(first.name, rest, piped, dot)
    }
    const args = [...rest.map((op) => this.operand(op, dot)), ...piped]
    switch (first.kind) {
      case 'field':
        return this.chain(dot, first.chain, args)
      case 'variable':
        return this.chain(this.variable(first.name), first.chain, args)
      case 'dot':
      case 'literal':
      case 'pipeline':
        if (args.length > 0) {
          throw this.error(`can't give an argument to a non-function`)
        }
        return this.operand(first, dot)
    }
  }

  private operand(op: Operand, dot: unknown): unknown {
    switch (op.kind) {
      case 'dot':
        return dot
      case 'field':
        return this.chain(dot, op.chain, [])
      case 'variable':
        return this.chain(this.variable(op.name), op.chain, [])
      case 'literal':
        return op.value
      case 'pipeline':
        return this.evaluate(op.pipeline, dot)
      case 'function':
        return this.call(op.name, [], [], dot)
    }
  }

  /** `.A.B` from `base`; methods along the way are called, the last one with `args`. */
  private chain(base: unknown, chain: readonly string[], args: unknown[]): unknown {
    let value = base
    chain.forEach((name, i) => {
      const last = i === chain.length - 1
      if (!isRecord(value) || !(name in value)) {
        throw this.error(`can't evaluate field ${name} in ${describe(value)}`)
      }
      const member = value[name]
      if (isMethod(member)) {
        value = member.apply(value, last ? args : [])
      } else if (last && args.length > 0) {
        throw this.error(`${name} is not a method but has arguments`)
      } else {
        value = member
      }
    })
    if (chain.length === 0 && args.length > 0) {
      throw this.error(`can't give an argument to a non-function`)
    }
    return value
  }

  private variable(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i]
      if (v !== undefined && v.name === name) {
        return v.value
      }
    }
    throw this.error(`undefined variable: ${name}`)
  }

  /** Calls a builtin; `and`/`or` evaluate their arguments lazily, as Go 1.18+ does. */
  private call(name: string, operands: Operand[], piped: unknown[], dot: unknown): unknown {
    const thunks = [
      ...operands.map((op) => () => this.operand(op, dot)),
      ...piped.map((value) => () => value),
    ]
    if (name === 'and' || name === 'or') {
      let value: unknown
      for (const thunk of thunks) {
        value = thunk()
        if (isTrue(value) === (name === 'or')) {
          return value
        }
      }
      return value
    }
    const builtin = BUILTINS.get(name)
    if (builtin === undefined) {
      throw this.error(`function "${name}" not defined`)
    }
    return builtin(thunks.map((thunk) => thunk()))
  }

  private error(message: string): TemplateError {
    return new TemplateError(this.template.name, this.line, message)
  }
}

function describe(value: unknown): string {
  return value === null || value === undefined ? 'nil' : `a ${typeof value}`
}

function compare(args: unknown[], test: (a: number | string, b: number | string) => boolean) {
  const [a, b] = args
  if (
    (typeof a === 'number' && typeof b === 'number') ||
    (typeof a === 'string' && typeof b === 'string')
  ) {
    return test(a, b)
  }
  throw new TypeError('incompatible types for comparison')
}

const BUILTINS = new Map<string, Builtin>([
  ['not', ([a]) => !isTrue(a)],
  [
    'len',
    ([a]) =>
      typeof a === 'string' || Array.isArray(a)
        ? a.length
        : isRecord(a)
          ? Object.keys(a).length
          : 0,
  ],
  [
    'index',
    ([a, ...keys]) =>
      keys.reduce<unknown>(
        (v, k) =>
          Array.isArray(v) && typeof k === 'number'
            ? v[k]
            : isRecord(v) && typeof k === 'string'
              ? v[k]
              : undefined,
        a,
      ),
  ],
  ['eq', ([a, ...rest]) => rest.some((b) => a === b)],
  ['ne', ([a, b]) => a !== b],
  ['lt', (args) => compare(args, (a, b) => a < b)],
  ['le', (args) => compare(args, (a, b) => a <= b)],
  ['gt', (args) => compare(args, (a, b) => a > b)],
  ['ge', (args) => compare(args, (a, b) => a >= b)],
  ['print', (args) => args.map(formatValue).join('')],
  ['println', (args) => `${args.map(formatValue).join(' ')}\n`],
  ['printf', ([format, ...args]) => sprintf(formatValue(format), args)],
])
