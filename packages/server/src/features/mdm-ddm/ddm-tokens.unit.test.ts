import { describe, expect, it } from 'vitest'
import { declarationServerToken, secretsUpdatedText } from '../mdm-profiles/index.js'
import { declarationsToken, rfc3339Seconds, syncTokens, type TokenItem } from './ddm-tokens.js'

// Expected values computed outside the code with `printf '%s' … | md5sum`.
const AT = Date.UTC(2026, 11, 7, 20, 43, 44, 123)

const item = (uuid: string, token: string, uploadedAt: number, createdAt = 0): TokenItem => ({
  declarationUuid: uuid,
  token,
  uploadedAt,
  createdAt,
})

describe('ServerToken', () => {
  it('is the upper-case MD5 of the raw JSON, then of JSON + secrets_updated_at text', () => {
    expect(declarationServerToken('{"a":1}', null)).toBe('BB6CB5C68DF4652941CAF652A366F2D8')
    expect(secretsUpdatedText(AT)).toBe('2026-12-07 20:43:44.123000')
    expect(declarationServerToken('{"a":1}', AT)).toBe('808A6F4B43F6C6EDC8AE6C54B513A715')
  })
})

describe('DeclarationsToken', () => {
  it('is empty without install declarations', () => {
    expect(declarationsToken([])).toBe('')
  })

  it('is MD5 of the count then the tokens, newest upload first', () => {
    // md5('2' + 'BBBB' + 'AAAA'): d2 (uploaded later) comes first whatever the input order.
    const expected = '8bb46e404ef0ff77970d21d4ec09dc31'
    expect(declarationsToken([item('d1', 'AAAA', 1), item('d2', 'BBBB', 2)])).toBe(expected)
    expect(declarationsToken([item('d2', 'BBBB', 2), item('d1', 'AAAA', 1)])).toBe(expected)
  })

  it('breaks upload-time ties by declaration uuid, so the order is deterministic', () => {
    // md5('3' + 'CC' + 'AA' + 'BB'): dz is newest; da before db at the same time.
    const items = [item('db', 'BB', 5), item('dz', 'CC', 9), item('da', 'AA', 5)]
    expect(declarationsToken(items)).toBe('a1fe53c2cff02f9a0f36b2a0b03363de')
    expect(declarationsToken([...items].reverse())).toBe('a1fe53c2cff02f9a0f36b2a0b03363de')
  })

  it('changes when a declaration is removed or its token changes', () => {
    const two = [item('d1', 'AAAA', 1), item('d2', 'BBBB', 2)]
    expect(declarationsToken(two.slice(0, 1))).not.toBe(declarationsToken(two))
    expect(declarationsToken([item('d1', 'AAAB', 1), item('d2', 'BBBB', 2)])).not.toBe(
      declarationsToken(two),
    )
  })
})

describe('SyncTokens', () => {
  it('Timestamp is RFC 3339 without fractional seconds, the newest created_at', () => {
    expect(rfc3339Seconds(AT)).toBe('2026-12-07T20:43:44Z')
    const tokens = syncTokens([item('d1', 'AAAA', 1, AT - 5000), item('d2', 'BB', 2, AT)], 0)
    expect(tokens.Timestamp).toBe('2026-12-07T20:43:44Z')
  })

  it('uses now and an empty token when the host has nothing', () => {
    expect(syncTokens([], AT)).toEqual({ DeclarationsToken: '', Timestamp: '2026-12-07T20:43:44Z' })
  })
})
