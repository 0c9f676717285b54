import { describe, expect, it } from 'vitest'
import {
  hmacSha1Signature,
  oauthAuthorization,
  oauthEncode,
  parseOAuthHeader,
  signatureBaseString,
} from './oauth1.js'

describe('OAuth 1.0a HMAC-SHA1', () => {
  it('signs the OAuth 1.0 specification example (Appendix A.5.2) as published', () => {
    const url = new URL('http://photos.example.net/photos?file=vacation.jpg&size=original')
    const base = signatureBaseString('GET', url, [
      ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
      ['oauth_token', 'nnch734d00sl2jdk'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '1191242096'],
      ['oauth_nonce', 'kllo9940pd9333jh'],
      ['oauth_version', '1.0'],
    ])
    expect(base).toBe(
      'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal',
    )
    expect(hmacSha1Signature(base, 'kd94hf93k423kf44', 'pfkkdhi9sl3r4s00')).toBe(
      'tR3+Ty81lMeYAr/Fid0kMTYa/WM=',
    )
  })

  it('encodes as RFC 3986 (reserved characters too)', () => {
    expect(oauthEncode("a b!*'()~")).toBe('a%20b%21%2A%27%28%29~')
  })

  it("builds ABM's header: realm ADM, every oauth_* field, a signature that round-trips", () => {
    const creds = {
      consumerKey: 'CK_1',
      consumerSecret: 'CS_1',
      accessToken: 'AT_1',
      accessSecret: 'AS_1',
    }
    const url = new URL('https://mdmenrollment.apple.com/session')
    const header = oauthAuthorization('GET', url, creds, new Date(1_700_000_000_000), 'nonce1')
    const params = parseOAuthHeader(header)
    expect(params?.get('realm')).toBe('ADM')
    expect(params?.get('oauth_consumer_key')).toBe('CK_1')
    expect(params?.get('oauth_token')).toBe('AT_1')
    expect(params?.get('oauth_timestamp')).toBe('1700000000')
    const signed = [...(params ?? [])].filter(([k]) => k !== 'realm' && k !== 'oauth_signature')
    const expected = hmacSha1Signature(signatureBaseString('GET', url, signed), 'CS_1', 'AS_1')
    expect(params?.get('oauth_signature')).toBe(expected)
    expect(hmacSha1Signature(signatureBaseString('GET', url, signed), 'CS_1', 'wrong')).not.toBe(
      expected,
    )
  })
})
