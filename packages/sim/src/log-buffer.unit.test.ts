import { describe, expect, it } from 'vitest'
import { LogBuffer } from './log-buffer.js'

describe('LogBuffer', () => {
  it('drops the oldest lines beyond its capacity and counts them', () => {
    const buffer = new LogBuffer(3)
    expect(buffer.push('a', 'b')).toBe(0)
    expect(buffer.push('c', 'd', 'e')).toBe(2)
    expect(buffer.size).toBe(3)
    expect(buffer.dropped).toBe(2)
    expect(buffer.peek(10).lines).toEqual(['c', 'd', 'e'])
  })

  it('keeps lines until they are acknowledged', () => {
    const buffer = new LogBuffer(10)
    buffer.push('a', 'b', 'c')
    const first = buffer.peek(2)
    expect(first.lines).toEqual(['a', 'b'])
    // The send failed: nothing is acked, the same lines go next time.
    expect(buffer.peek(2).lines).toEqual(['a', 'b'])
    buffer.ack(first.until)
    expect(buffer.peek(10).lines).toEqual(['c'])
  })

  it('acks correctly when lines were dropped while a send was in flight', () => {
    const buffer = new LogBuffer(3)
    buffer.push('a', 'b', 'c')
    const inFlight = buffer.peek(2) // a, b
    buffer.push('d', 'e') // drops a, b
    buffer.ack(inFlight.until) // a and b are already gone: removes nothing more
    expect(buffer.peek(10).lines).toEqual(['c', 'd', 'e'])
    buffer.push('f') // drops c
    const next = buffer.peek(10)
    buffer.ack(next.until)
    expect(buffer.size).toBe(0)
  })

  it('rejects a capacity below 1', () => {
    expect(() => new LogBuffer(0)).toThrow(RangeError)
  })
})
