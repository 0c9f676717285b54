import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml'

/** A problem with YAML text, at the 1-based line it concerns. */
export interface LineProblem {
  line: number
  message: string
}

/** YAML text parsed to a plain value, or its syntax errors at their lines. */
export type ParsedYaml = { ok: true; value: unknown } | { ok: false; problems: LineProblem[] }

/** Parses the editor's YAML; an empty document is `null`. */
export function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter()
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: lines })
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({ line: lines.linePos(e.pos[0]).line, message: e.message })),
    }
  }
  return { ok: true, value: doc.toJS() }
}

/**
 * The 1-based line of the YAML node that a server error names. `path` is the error's field name
 * without its prefix, split on dots (`config.options.foo_bar` → the line of `foo_bar:`). A key
 * that itself holds dots is matched whole; when part of the path is missing, the line of the
 * deepest part that exists (a missing `config` key: line 1).
 */
export function lineOfPath(text: string, path: readonly string[]): number {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines })
  let node: unknown = doc.contents
  let offset = firstContentOffset(doc.contents)
  let rest = [...path]
  while (rest.length > 0) {
    const step = childAt(node, rest)
    if (!step) {
      break
    }
    node = step.node
    offset = step.offset
    rest = rest.slice(step.used)
  }
  return offset === undefined ? 1 : lines.linePos(offset).line
}

function firstContentOffset(node: unknown): number | undefined {
  return isNode(node) ? node.range?.[0] : undefined
}

function isNode(value: unknown): value is Node {
  return isMap(value) || isSeq(value) || isScalar(value)
}

/** The child of a map or sequence matching the start of `path`, and how many segments it used. */
function childAt(
  node: unknown,
  path: readonly string[],
): { node: unknown; offset: number | undefined; used: number } | undefined {
  if (isMap(node)) {
    // Longest key first, so a key `a.b` wins over `a` then `b`.
    for (let used = path.length; used >= 1; used--) {
      const name = path.slice(0, used).join('.')
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === name)
      if (pair && isScalar(pair.key)) {
        return { node: pair.value, offset: pair.key.range?.[0], used }
      }
    }
    return undefined
  }
  if (isSeq(node)) {
    const index = Number(path[0])
    const item: unknown = Number.isInteger(index) ? node.items[index] : undefined
    return item === undefined
      ? undefined
      : { node: item, offset: firstContentOffset(item), used: 1 }
  }
  return undefined
}

/**
 * The server's field errors about agent options at their lines. Field names are prefixed with
 * `agent_options` (global and team endpoints alike); one naming the whole value goes on line 1.
 */
export function agentOptionsProblems(
  text: string,
  errors: readonly { name: string; reason: string }[],
): LineProblem[] {
  return errors.map(({ name, reason }) => {
    const parts = name.split('.')
    const inside = parts[0] === 'agent_options' ? parts.slice(1) : parts
    const field = inside.join('.')
    const line = name === 'base' || inside.length === 0 ? 1 : lineOfPath(text, inside)
    return { line, message: field && name !== 'base' ? `${field}: ${reason}` : reason }
  })
}
