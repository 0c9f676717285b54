import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { InvalidArgumentError } from './errors.js'
import { issueDetails, parseInput } from './zod-details.js'

const Schema = z.strictObject({ name: z.string(), options: z.strictObject({ n: z.number() }) })

describe('issueDetails', () => {
  it('names each field by its dotted path, and unknown keys as Fleet does', () => {
    const parsed = Schema.safeParse({ name: 1, options: { n: 'x', extra: true } })
    expect(parsed.success).toBe(false)
    const details = parsed.success ? [] : issueDetails(parsed.error, { fallback: 'body' })
    expect(details.map((d) => d.name).sort()).toEqual(['name', 'options.extra', 'options.n'])
    expect(details.find((d) => d.name === 'options.extra')?.reason).toBe('unsupported key provided')
  })

  it('puts a prefix first, and names a whole-value problem by the fallback', () => {
    const parsed = Schema.safeParse('nope')
    expect(parsed.success).toBe(false)
    if (!parsed.success) {
      expect(issueDetails(parsed.error, { fallback: 'body' })[0]?.name).toBe('body')
      expect(issueDetails(parsed.error, { prefix: 'spec', fallback: 'x' })[0]?.name).toBe('spec')
    }
  })
})

describe('parseInput', () => {
  it('returns the parsed value, or throws InvalidArgumentError with the details', () => {
    expect(parseInput(z.object({ a: z.number() }), { a: 1 }, 'query')).toEqual({ a: 1 })
    const thrown = (() => {
      try {
        parseInput(z.object({ a: z.number() }), undefined, 'query')
      } catch (err) {
        return err
      }
      return undefined
    })()
    expect(thrown).toBeInstanceOf(InvalidArgumentError)
    expect(thrown).toMatchObject({ details: [{ name: 'query' }] })
  })
})
