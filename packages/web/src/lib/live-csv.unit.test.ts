import { describe, expect, it } from 'vitest'
import { cellText, columnUnion, liveResultsCsv } from './live-csv.js'

describe('liveResultsCsv', () => {
  it('writes a header and one CRLF line per row', () => {
    expect(liveResultsCsv([{ a: '1', b: '2' }])).toBe('a,b\r\n1,2\r\n')
  })

  it('quotes commas, quotes, newlines and edge spaces, doubling quotes', () => {
    const csv = liveResultsCsv([
      { v: 'a,b' },
      { v: 'say "hi"' },
      { v: 'two\nlines' },
      { v: 'cr\rhere' },
      { v: ' padded' },
      { v: 'plain text' },
    ])
    expect(csv.split('\r\n')).toEqual([
      'v',
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
      '"cr\rhere"',
      '" padded"',
      'plain text',
      '',
    ])
  })

  it('keeps unicode as it is', () => {
    expect(liveResultsCsv([{ name: 'Zoë — 東京 🚀' }])).toBe('name\r\nZoë — 東京 🚀\r\n')
  })

  it('unites the columns of hosts that answered differently, blank where a host had none', () => {
    const rows = [
      { host_display_name: 'a', version: '1' },
      { host_display_name: 'b', build: 'x' },
      { host_display_name: 'c', version: '3', build: 'y' },
    ]
    expect(columnUnion(rows)).toEqual(['host_display_name', 'version', 'build'])
    expect(liveResultsCsv(rows)).toBe(
      'host_display_name,version,build\r\na,1,\r\nb,,x\r\nc,3,y\r\n',
    )
  })

  it('quotes a header that needs it and writes only the header when there are no rows', () => {
    expect(liveResultsCsv([], ['a,b', 'c'])).toBe('"a,b",c\r\n')
  })

  it('writes non-string cells plainly', () => {
    expect(cellText(undefined)).toBe('')
    expect(cellText(null)).toBe('')
    expect(cellText(3)).toBe('3')
    expect(cellText('x')).toBe('x')
  })
})
