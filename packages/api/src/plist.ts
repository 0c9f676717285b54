import { DOMParser } from '@xmldom/xmldom'

/**
 * The one XML property-list parser of the project (server and simulator): `@fleet/api/plist`.
 *
 * Why not `plist.parse`: it builds an `@xmldom/xmldom` DOMParser without an `onError`, and xmldom
 * then reports every malformed-XML problem with `console.error` and carries on with whatever DOM
 * it recovered. Devices and uploads send us bad XML on purpose in tests and by accident in real
 * life; that must be a clean refusal (`PlistParseError`, which callers turn into a 400), never
 * console output nor a half-parsed value. So this parser makes xmldom throw on every warning,
 * error and fatal error, then reads the DOM the way `plist` does: the same `PlistValue` shape
 * (`<data>` as `Uint8Array`, `<date>` as `Date`), so values and `plist.build` interoperate.
 *
 * Only XML plists: Apple devices and `.mobileconfig` files use XML (reference §1.1).
 */
export type PlistValue =
  | string
  | number
  | boolean
  | Date
  | Uint8Array
  | PlistValue[]
  | { [key: string]: PlistValue }
  | null

/** The input is not a well-formed XML property list; `message` says why (safe to show). */
export class PlistParseError extends Error {
  override readonly name = 'PlistParseError'
}

const ELEMENT_NODE = 1
const TEXT_NODE = 3
const CDATA_NODE = 4

/** The few DOM members the walker reads (xmldom's Node implements them). */
interface XmlNode {
  nodeType: number
  nodeName: string
  nodeValue: string | null
  childNodes: ArrayLike<XmlNode>
}

/**
 * Parses an XML plist. Throws `PlistParseError` for malformed XML (reported by xmldom, which
 * prints nothing), a root other than `<plist>`, or an invalid plist structure.
 */
export function parsePlist(xml: string): PlistValue {
  let root: XmlNode | null
  try {
    const doc = new DOMParser({
      onError: (level, message) => {
        throw new Error(`${level}: ${message.trim()}`)
      },
    }).parseFromString(xml, 'text/xml')
    root = doc.documentElement
  } catch (err) {
    // xmldom reports every problem (fatal ones too) through onError and wraps what it throws:
    // 'Reporting <level> "<message>" caused Error: <our text>'. Keep our text, one line.
    const message = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? ''
    throw new PlistParseError(`malformed XML: ${message.replace(/^.* caused Error: /, '')}`)
  }
  if (root === null || root.nodeName !== 'plist') {
    throw new PlistParseError('malformed document: the first element should be <plist>')
  }
  const values = elements(root).map(readValue)
  if (values.length === 0) {
    return []
  }
  if (values.length > 1) {
    throw new PlistParseError('<plist> must hold exactly one value')
  }
  return values[0] ?? null
}

function elements(node: XmlNode): XmlNode[] {
  return Array.from(node.childNodes).filter((child) => child.nodeType === ELEMENT_NODE)
}

function text(node: XmlNode, withCdata = true): string {
  let out = ''
  for (const child of Array.from(node.childNodes)) {
    if (child.nodeType === TEXT_NODE || (withCdata && child.nodeType === CDATA_NODE)) {
      out += child.nodeValue ?? ''
    }
  }
  return out
}

function readValue(node: XmlNode): PlistValue {
  switch (node.nodeName) {
    case 'dict':
      return readDict(node)
    case 'array':
      return elements(node).map(readValue)
    case 'string':
      return text(node)
    case 'integer':
      return readNumber(
        node,
        'integer',
        (s) => /^[+-]?\d+$/.test(s),
        (s) => parseInt(s, 10),
      )
    case 'real':
      return readNumber(node, 'real', (s) => s !== '' && !Number.isNaN(Number(s)), Number)
    case 'true':
      return true
    case 'false':
      return false
    case 'date':
      return readDate(node)
    case 'data':
      return readData(node)
    default:
      throw new PlistParseError(`invalid plist tag <${node.nodeName}>`)
  }
}

function readDict(node: XmlNode): { [key: string]: PlistValue } {
  const out: { [key: string]: PlistValue } = {}
  const children = elements(node)
  for (let i = 0; i < children.length; i += 2) {
    const keyNode = children[i]
    const valueNode = children[i + 1]
    if (keyNode?.nodeName !== 'key') {
      throw new PlistParseError('missing <key> while parsing <dict>')
    }
    if (valueNode === undefined || valueNode.nodeName === 'key') {
      throw new PlistParseError('<dict> keys and values must alternate')
    }
    const key = text(keyNode)
    if (key === '__proto__') {
      throw new PlistParseError('__proto__ keys are refused (prototype pollution)')
    }
    out[key] = readValue(valueNode)
  }
  return out
}

function readNumber(
  node: XmlNode,
  tag: string,
  valid: (s: string) => boolean,
  convert: (s: string) => number,
): number {
  const raw = text(node, false).trim()
  if (!valid(raw)) {
    throw new PlistParseError(`cannot parse "${raw.slice(0, 40)}" as <${tag}>`)
  }
  return convert(raw)
}

function readDate(node: XmlNode): Date {
  const raw = text(node, false).trim()
  const date = new Date(raw)
  if (raw === '' || Number.isNaN(date.getTime())) {
    throw new PlistParseError(`cannot parse "${raw.slice(0, 40)}" as <date>`)
  }
  return date
}

function readData(node: XmlNode): Uint8Array {
  const b64 = text(node, false).replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) {
    throw new PlistParseError('<data> is not base64')
  }
  const binary = atob(b64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i)
  }
  return bytes
}
