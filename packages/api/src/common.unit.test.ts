import { describe, expect, it } from 'vitest'
import { httpUrlProblem, isHttpUrl, listWindow } from './common.js'

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

describe('listWindow (Fleet paging)', () => {
  it('lists everything with neither page nor per_page, 20 a page with page alone', () => {
    expect(listWindow({})).toEqual({ page: 0, perPage: undefined, offset: 0 })
    expect(listWindow({ page: 0 })).toEqual({ page: 0, perPage: 20, offset: 0 })
    expect(listWindow({ page: 2 })).toEqual({ page: 2, perPage: 20, offset: 40 })
    expect(listWindow({ per_page: 5 })).toEqual({ page: 0, perPage: 5, offset: 0 })
    expect(listWindow({ page: 3, per_page: 5 })).toEqual({ page: 3, perPage: 5, offset: 15 })
  })
})
