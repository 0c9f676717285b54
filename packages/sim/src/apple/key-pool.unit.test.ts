import { describe, expect, it } from 'vitest'
import { KeyPool } from './key-pool.js'

describe('KeyPool', () => {
  it('hands devices the key pairs of their slot, made once each', async () => {
    const pool = new KeyPool(2)
    const [a, b, c] = await Promise.all([0, 1, 2].map((i) => pool.forDevice(i)()))
    expect(a).toBe(c)
    expect(a).not.toBe(b)
    expect(await pool.forDevice(3)()).toBe(b)
    expect(a?.privateKey.algorithm).toMatchObject({
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
    })
  })

  it('refuses an empty pool', () => {
    expect(() => new KeyPool(0)).toThrow('at least one key')
  })
})
