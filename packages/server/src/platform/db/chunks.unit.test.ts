import { describe, expect, it } from 'vitest'
import { chunked } from './chunks.js'

describe('chunked', () => {
  it('splits into consecutive slices of at most `size`, none for no items', () => {
    expect(chunked([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
    expect(chunked([], 2)).toEqual([])
    expect(chunked(Array.from({ length: 2500 }, (_, i) => i)).map((c) => c.length)).toEqual([
      1000, 1000, 500,
    ])
  })
})
