import { HOST_REPORT_COLUMNS, type HostSummaryJson } from '@fleet/api'
import { describe, expect, it } from 'vitest'
import { csvCell, csvLine, reportLines, reportValue } from './host-report.js'

describe('csvCell', () => {
  it('quotes commas, quotes and line breaks, and leaves plain text alone', () => {
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
  })
  it('writes null as empty and numbers as they are', () => {
    expect(csvCell(null)).toBe('')
    expect(csvCell(undefined)).toBe('')
    expect(csvCell(0)).toBe('0')
    expect(csvCell(-3)).toBe('-3')
  })
  it("defuses text a spreadsheet would run as a formula, but not negative numbers' text", () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvCell('+1')).toBe("'+1")
    expect(csvCell('@cmd')).toBe("'@cmd")
    expect(csvCell('-cmd')).toBe("'-cmd")
    expect(csvCell('-1.5')).toBe('-1.5')
  })
})

describe('reportLines', () => {
  const host = (id: number, name: string) =>
    ({
      id,
      display_name: name,
      issues: { failing_policies_count: id * 2 },
    }) as unknown as HostSummaryJson
  async function* pages() {
    yield [host(1, 'alpha'), host(2, 'b,eta')]
    yield [host(3, 'gamma')]
  }

  it('writes the header, then each page as one chunk', async () => {
    const chunks: string[] = []
    for await (const chunk of reportLines(
      ['id', 'display_name', 'failing_policies_count'],
      pages(),
    )) {
      chunks.push(chunk)
    }
    expect(chunks).toEqual([
      'id,display_name,failing_policies_count\r\n',
      '1,alpha,2\r\n2,"b,eta",4\r\n',
      '3,gamma,6\r\n',
    ])
  })
  it('reads every column the contract offers from a host', () => {
    expect(csvLine(['a', 1])).toBe('a,1\r\n')
    for (const column of HOST_REPORT_COLUMNS) {
      expect(() => reportValue(host(1, 'x'), column)).not.toThrow()
    }
  })
})
