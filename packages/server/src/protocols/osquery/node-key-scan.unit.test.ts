import { describe, expect, it } from 'vitest'
import { nodeKeyAtEdges, scanNodeKey } from './node-key-scan.js'

const scan = (text: string) => scanNodeKey(Buffer.from(text))

describe('nodeKeyAtEdges', () => {
  it("finds the key first (fleetd's order) or last (osquery's order)", () => {
    expect(nodeKeyAtEdges(' {\n "node_key" : "abc", "data": [', '')).toBe('abc')
    expect(nodeKeyAtEdges('{"log_type":"result"', '"x"}], "node_key":"def"}\n')).toBe('def')
  })

  it('ignores a node_key that is not a top-level member at the edges', () => {
    expect(nodeKeyAtEdges('[{"node_key":"abc"}]', '[{"node_key":"abc"}]')).toBeUndefined()
    expect(nodeKeyAtEdges('{"a":{"node_key":"abc"}', '{"a":{"node_key":"abc"}}')).toBeUndefined()
    // A key with escapes is left to the full scan.
    expect(nodeKeyAtEdges('{"node_key":"a\\"b"', '')).toBeUndefined()
  })
})

describe('scanNodeKey', () => {
  it('finds a top-level node_key anywhere, and the last of duplicates as JSON.parse does', () => {
    expect(scan('{"data":[1,{"x":"]}"}],"node_key":"mid","log_type":"result"}')).toBe('mid')
    expect(scan('{"node_key":"first","node_key":"last"}')).toBe('last')
    expect(scan('{"node_key":"a\\u0062c"}')).toBe('abc')
  })

  it('ignores nested keys, keys inside strings, values named node_key and non-string values', () => {
    expect(scan('{"data":[{"node_key":"nested"}]}')).toBeUndefined()
    expect(scan('{"data":"{\\"node_key\\":\\"in-a-string\\"}"}')).toBeUndefined()
    expect(scan('{"name":"node_key","value":"x"}')).toBeUndefined()
    expect(scan('{"node_key":5,"other":"x"}')).toBeUndefined()
    expect(scan('["node_key","x"]')).toBeUndefined()
  })

  it('scans text that is not valid JSON without throwing', () => {
    expect(scan('{"node_key":"k","data":[1,2,}')).toBe('k')
    expect(scan('{"node_key":"unterminated')).toBeUndefined()
    expect(scan('')).toBeUndefined()
  })
})
