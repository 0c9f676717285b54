/**
 * Nesting depth limits for request bodies. V8 parses any depth, but serializing a deeply nested
 * value again (logging it, writing it to a log destination) overflows the stack: a 500, which
 * osquery answers by sending the same body forever. Real payloads nest a few levels.
 */
export const MAX_JSON_DEPTH = 64

/** Character codes of JSON's structural characters, for scanners that read JSON text unparsed. */
export const JSON_CHAR = {
  openBrace: 0x7b,
  openBracket: 0x5b,
  closeBrace: 0x7d,
  closeBracket: 0x5d,
  quote: 0x22,
  backslash: 0x5c,
  comma: 0x2c,
} as const
const { openBrace, openBracket, closeBrace, closeBracket, quote, backslash } = JSON_CHAR

/**
 * Whether JSON text nests objects/arrays deeper than `max` (brackets inside strings don't count).
 * A text shorter than `max` can't, so small bodies — every check-in — cost nothing.
 */
export function exceedsJsonDepth(text: string, max = MAX_JSON_DEPTH): boolean {
  if (text.length <= max) {
    return false
  }
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === backslash) {
        i++
      } else if (c === quote) {
        inString = false
      }
    } else if (c === quote) {
      inString = true
    } else if (c === openBrace || c === openBracket) {
      depth++
      if (depth > max) {
        return true
      }
    } else if (c === closeBrace || c === closeBracket) {
      depth--
    }
  }
  return false
}

/** What stands in for a value nested deeper than the limit. */
export const TOO_DEEP = '[nested too deeply]'

type Container = Record<string, unknown> | unknown[]

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null
}

function shallowCopy(container: Container): Container {
  return Array.isArray(container) ? [...container] : { ...container }
}

/**
 * A copy of a parsed JSON value in which every object or array nested deeper than `max` is
 * replaced with {@link TOO_DEEP}. Iterative, so it can't overflow the stack on the input it
 * exists for.
 */
export function truncateJsonDepth(value: unknown, max = MAX_JSON_DEPTH): unknown {
  if (!isContainer(value)) {
    return value
  }
  const top = shallowCopy(value)
  // Each container with its nesting depth (the top-level object or array is depth 1).
  const pending: [Container, number][] = [[top, 1]]
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [container, depth] = next
    for (const key of Object.keys(container)) {
      const child: unknown = Reflect.get(container, key)
      if (!isContainer(child)) {
        continue
      }
      if (depth >= max) {
        Reflect.set(container, key, TOO_DEEP)
        continue
      }
      const copy = shallowCopy(child)
      Reflect.set(container, key, copy)
      pending.push([copy, depth + 1])
    }
  }
  return top
}
