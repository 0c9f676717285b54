import { describe, expect, it } from 'vitest'
import { runInReverse } from './run-in-reverse.js'

describe('runInReverse', () => {
  it('runs every step last first, reporting and returning failures without stopping', async () => {
    const ran: string[] = []
    const reported: string[] = []
    const errors = await runInReverse(
      ['a', 'b', 'c'],
      async (step) => {
        ran.push(step)
        if (step !== 'a') {
          throw new Error(`${step} failed`)
        }
        await Promise.resolve()
      },
      (step, err) => reported.push(`${step}: ${(err as Error).message}`),
    )
    expect(ran).toEqual(['c', 'b', 'a'])
    expect(reported).toEqual(['c: c failed', 'b: b failed'])
    expect(errors).toHaveLength(2)
  })
})
