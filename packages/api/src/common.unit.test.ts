import { describe, expect, it } from 'vitest'
import { httpUrlProblem, isHttpUrl } from './common.js'

describe('isHttpUrl', () => {
  it.each([
    'https://example.com/privacy',
    'http://fleet.internal:8080/path?q=1#frag',
    'https://[::1]/',
  ])('accepts %s', (url) => {
    expect(isHttpUrl(url)).toBe(true)
  })

  it.each([
    'javascript:alert(1)',
    'file:///etc/passwd',
    'ftp://example.com/',
    'data:text/html,hi',
    'https://example.com/\r\nSet-Cookie: x=1',
    'https://example.com/a b',
    'https://example.com/\u0000',
    '//example.com/',
    'example.com',
    'https://',
    '',
  ])('refuses %j', (url) => {
    expect(isHttpUrl(url)).toBe(false)
  })
})

describe('httpUrlProblem', () => {
  it('treats empty as unset unless the setting needs a URL', () => {
    expect(httpUrlProblem('')).toBeUndefined()
    expect(httpUrlProblem('', true)).toBe('must be an http or https URL when enabled')
    expect(httpUrlProblem('javascript:void(0)')).toBe('must be an http or https URL')
    expect(httpUrlProblem('https://hooks.example.com', true)).toBeUndefined()
  })
})
