import { FleetApiError, FleetConnectionError } from '@fleet/client'
import { describe, expect, it } from 'vitest'
import { CliError, doing, formatError } from './errors.js'

const apiError = (status: number, code: string, message: string) =>
  new FleetApiError({
    status,
    code,
    message,
    errors: [
      { name: 'base', reason: message },
      { name: 'base', reason: 'a second reason' },
      { name: 'name', reason: 'is taken' },
    ],
    method: 'POST',
    url: 'https://fleet/api',
  })

describe('formatError', () => {
  it('joins the context chain and lists field errors under it', () => {
    const err = new CliError('applying teams', { cause: apiError(409, 'CONFLICT', 'conflict') })
    expect(formatError(err)).toEqual([
      'Error: applying teams: conflict (status 409)',
      '  - a second reason',
      '  - name: is taken',
    ])
  })

  it('never prints a stack for API errors, even with --debug', () => {
    const lines = formatError(apiError(403, 'FORBIDDEN', 'forbidden'), { debug: true })
    expect(lines.join('\n')).not.toContain('    at ')
  })

  it('prints the stack of unexpected errors only with --debug', () => {
    expect(formatError(new TypeError('boom'))).toEqual(['Error: boom'])
    expect(formatError(new TypeError('boom'), { debug: true })[1]).toContain('TypeError: boom')
  })

  it('suggests how to trust a self-signed server', () => {
    const tls = new FleetConnectionError(
      'https://fleet:8080',
      Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
    )
    const lines = formatError(tls)
    expect(lines[0]).toBe(
      'Error: TLS connection to Fleet at https://fleet:8080 failed: self-signed certificate',
    )
    expect(lines.join('\n')).toContain('--tls-skip-verify')
  })

  it('keeps hints of CLI errors', () => {
    expect(formatError(new CliError('no address', { hints: ['run this'] }))).toEqual([
      'Error: no address',
      'run this',
    ])
  })
})

describe('doing', () => {
  it('adds context to failures but passes plain CLI errors through', async () => {
    await expect(doing('x', () => Promise.reject(new Error('y')))).rejects.toMatchObject({
      message: 'x',
      cause: new Error('y'),
    })
    const plain = new CliError('plain')
    await expect(doing('x', () => Promise.reject(plain))).rejects.toBe(plain)
  })
})
