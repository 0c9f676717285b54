import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LogBuffer } from './log-buffer.js'
import { StateStore } from './state-store.js'

const opened: StateStore[] = []
function open(dir = mkdtempSync(join(tmpdir(), 'osqueryd-buffer-'))): StateStore {
  const store = StateStore.open(dir)
  opened.push(store)
  return store
}
afterEach(() => {
  for (const store of opened.splice(0)) {
    store.close()
  }
})

const unbounded = () => ({ maxLines: 0, maxBytes: 0 })

describe('LogBuffer', () => {
  it('returns lines oldest first and keeps them until acknowledged', () => {
    const buffer = new LogBuffer(open().db, unbounded)
    buffer.append('result', ['{"r":1}', '{"r":2}'])
    buffer.append('status', ['{"s":1}'])
    const batch = buffer.peek(10)
    expect(batch.map((entry) => [entry.kind, entry.line])).toEqual([
      ['result', '{"r":1}'],
      ['result', '{"r":2}'],
      ['status', '{"s":1}'],
    ])
    expect(buffer.peek(10)).toHaveLength(3)
    buffer.ack(batch.slice(0, 2).map((entry) => entry.id))
    expect(buffer.peek(10).map((entry) => entry.line)).toEqual(['{"s":1}'])
    expect(buffer.size()).toBe(1)
    expect(buffer.byteSize()).toBe(7)
  })

  it('survives a restart, with its counts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'osqueryd-buffer-'))
    const first = StateStore.open(dir)
    new LogBuffer(first.db, unbounded).append('result', ['{"a":1}', '{"b":2}'])
    first.close()
    const second = open(dir)
    const buffer = new LogBuffer(second.db, unbounded)
    expect(buffer.size()).toBe(2)
    expect(buffer.byteSize()).toBe(14)
    expect(buffer.peek(1)[0]?.line).toBe('{"a":1}')
    expect(statSync(join(dir, 'fleetd-state.sqlite')).mode & 0o777).toBe(0o600)
  })

  it('drops the oldest lines beyond the line cap and says how many', () => {
    const buffer = new LogBuffer(open().db, () => ({ maxLines: 3, maxBytes: 0 }))
    expect(buffer.append('result', ['1', '2'])).toBe(0)
    expect(buffer.append('status', ['3', '4', '5'])).toBe(2)
    expect(buffer.peek(10).map((entry) => entry.line)).toEqual(['3', '4', '5'])
    expect(buffer.size()).toBe(3)
  })

  it('drops the oldest lines beyond the byte cap', () => {
    const buffer = new LogBuffer(open().db, () => ({ maxLines: 0, maxBytes: 10 }))
    buffer.append('result', ['aaaa', 'bbbb'])
    expect(buffer.append('result', ['cccc'])).toBe(1)
    expect(buffer.peek(10).map((entry) => entry.line)).toEqual(['bbbb', 'cccc'])
    expect(buffer.byteSize()).toBe(8)
  })

  it('purges across many pages when the cap shrinks', () => {
    let maxLines = 0
    const buffer = new LogBuffer(open().db, () => ({ maxLines, maxBytes: 0 }))
    buffer.append(
      'result',
      Array.from({ length: 2500 }, (_, i) => String(i)),
    )
    maxLines = 10
    expect(buffer.append('result', ['last'])).toBe(2491)
    expect(buffer.peek(1)[0]?.line).toBe('2491')
    expect(buffer.size()).toBe(10)
  })

  it('ignores acknowledgements of lines already gone', () => {
    const buffer = new LogBuffer(open().db, unbounded)
    buffer.append('result', ['x'])
    const [entry] = buffer.peek(1)
    buffer.ack([entry?.id ?? -1, entry?.id ?? -1, 999])
    expect(buffer.size()).toBe(0)
    expect(buffer.byteSize()).toBe(0)
  })
})
