import { describe, expect, it } from 'vitest'
import { InvalidArgumentError } from '../errors/index.js'
import { parseMultipartForm } from './multipart-form.js'

function reason(run: () => unknown): string | undefined {
  try {
    run()
  } catch (err) {
    return err instanceof InvalidArgumentError ? err.details[0]?.reason : String(err)
  }
  return undefined
}

const form = (boundary: string, parts: string[]) =>
  Buffer.from(parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('') + `--${boundary}--\r\n`)

describe('parseMultipartForm', () => {
  it('reads text fields and files by name', () => {
    const body = form('XyZ', [
      'Content-Disposition: form-data; name="certificate"; filename="c.pem"\r\nContent-Type: application/x-pem-file\r\n\r\n-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n',
      'Content-Disposition: form-data; name="team_id"\r\n\r\n3',
    ])
    expect(parseMultipartForm('multipart/form-data; boundary=XyZ', body)).toEqual({
      certificate: '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n',
      'certificate.filename': 'c.pem',
      team_id: '3',
    })
  })

  it('keeps every value of a repeated field under <name>[]', () => {
    const body = form('b', [
      'Content-Disposition: form-data; name="labels"\r\n\r\none',
      'Content-Disposition: form-data; name="labels"\r\n\r\ntwo',
    ])
    expect(parseMultipartForm('multipart/form-data; boundary=b', body)).toEqual({
      labels: 'one',
      'labels[]': ['one', 'two'],
    })
  })

  it('refuses a body without its boundary, or cut short', () => {
    expect(reason(() => parseMultipartForm('multipart/form-data', Buffer.from('x')))).toBe(
      'failed to parse multipart form: no boundary',
    )
    const cut = Buffer.from('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue')
    expect(reason(() => parseMultipartForm('multipart/form-data; boundary=b', cut))).toBe(
      'failed to parse multipart form',
    )
  })
})
