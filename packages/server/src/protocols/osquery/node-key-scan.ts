import { JSON_CHAR } from '../../platform/http/index.js'

/**
 * Finding the node key of an osquery request body without parsing it, so that a large body with
 * a wrong key is refused before it costs a `JSON.parse` (see `large-body-gate.ts`).
 *
 * osquery sends the key at the *end* of the body (its TLS request helper adds `node_key` after the
 * payload: `{"log_type":…,"data":[…],"node_key":"…"}`); fleetd, osquery-perf and most test
 * clients send it first. So the key is looked for at the head, then at the tail, and only when
 * neither has it by a lexical scan of the whole body (no objects built).
 *
 * The answer only decides whether to refuse early: a body that passes is parsed and its parsed
 * `node_key` authenticated as always, so a misleading body gains nothing.
 */

/** How much of each end of a body the head and tail patterns look at. */
export const NODE_KEY_EDGE_BYTES = 512

// A node key is a plain token; a value with escapes is left to the full scan (and JSON.parse).
const VALUE = '"([^"\\\\]{1,256})"'
/** `{"node_key":"K"` at the start: the first member of the top-level object. */
const HEAD = new RegExp(`^\\s*\\{\\s*"node_key"\\s*:\\s*${VALUE}`)
/**
 * `"node_key":"K"}` at the very end: in valid JSON a string followed by `:` is a key, and the
 * member right before the closing brace of the whole text belongs to the top-level object.
 */
const TAIL = new RegExp(`"node_key"\\s*:\\s*${VALUE}\\s*\\}\\s*$`)

/** The node key at the head or the tail of a body, from its first and last bytes as text. */
export function nodeKeyAtEdges(head: string, tail: string): string | undefined {
  return HEAD.exec(head)?.[1] ?? TAIL.exec(tail)?.[1]
}

const { openBrace, openBracket, closeBrace, closeBracket, quote, backslash, comma } = JSON_CHAR
const KEY = Buffer.from('node_key')

/** The JSON string literal from `start` (its opening quote) to `end` (its closing quote), decoded. */
function stringAt(body: Buffer, start: number, end: number): string | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8', start, end + 1))
    return typeof value === 'string' ? value : undefined
  } catch {
    return undefined
  }
}

/**
 * The string value of the top-level `node_key` member of a JSON object body (the last one, as
 * `JSON.parse` keeps), by tracking strings and nesting only. Structural characters are ASCII and
 * never part of a multi-byte UTF-8 sequence, so the bytes are scanned as they are.
 */
export function scanNodeKey(body: Buffer): string | undefined {
  let depth = 0
  let expectKey = false
  let keyIsNodeKey = false
  let found: string | undefined
  for (let i = 0; i < body.length; i++) {
    const c = body[i]
    if (c === quote) {
      const start = i
      for (i++; i < body.length && body[i] !== quote; i++) {
        if (body[i] === backslash) {
          i++
        }
      }
      if (depth !== 1) {
        continue
      }
      if (expectKey) {
        keyIsNodeKey = i - start - 1 === KEY.length && body.subarray(start + 1, i).equals(KEY)
        expectKey = false
      } else if (keyIsNodeKey) {
        found = stringAt(body, start, i)
        keyIsNodeKey = false
      }
    } else if (c === openBrace || c === openBracket) {
      depth++
      expectKey = depth === 1 && c === openBrace
    } else if (c === closeBrace || c === closeBracket) {
      depth--
    } else if (c === comma && depth === 1) {
      expectKey = true
      keyIsNodeKey = false
    }
  }
  return found
}
