import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { outcomeOf, parseStatusReport, type ParsedStatusReport } from './ddm-status.js'

const FIXTURES = new URL('../../../../../../shared/fixtures/mdm/', import.meta.url)
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES))

function parsed(data: Buffer): ParsedStatusReport {
  const report = parseStatusReport(data)
  if (typeof report === 'string') {
    throw new Error(report)
  }
  return report
}

describe('DDM status reports', () => {
  it('maps the real report: invalid → failed with the reasons, valid+active → verified', () => {
    const report = parsed(
      fixture('A047820F-FC6B-4104-BED0-466876D82BB8.20220628-103225.001918.status.json'),
    )
    const outcomes = report.configurations.map((c) => [c.identifier, outcomeOf(c)])
    expect(outcomes).toEqual([
      [
        '0FCD2F56-D5BC-48EA-B98D-E0CCC0C6F9E0',
        {
          status: 'failed',
          detail:
            'Error.ConfigurationCannotBeApplied: Configuration cannot be applied (Error: An internal error has occurred.)',
        },
      ],
      [
        '4D6F8451-C089-4E65-A615-7C6EFF154F72',
        {
          status: 'failed',
          detail:
            'Error.ConfigurationCannotBeApplied: Configuration cannot be applied (Error: Profile Installation Failed)',
        },
      ],
      ['85B5130A-4D0D-462B-AA0D-0C3B6630E5AA', { status: 'verified', detail: null }],
    ])
  })

  it("unknown + NotReferencedByActivation is failed with that reason (not Fleet's blanket failure)", () => {
    const [item] = parsed(fixture('status.D0.error.json')).configurations
    expect(item && outcomeOf(item)).toEqual({
      status: 'failed',
      detail: expect.stringContaining('Info.NotReferencedByActivation: Configuration'),
    })
  })

  it('plain unknown and valid-but-inactive wait in verifying; other values fail', () => {
    const base = { identifier: 'x', 'server-token': 't' }
    expect(outcomeOf({ ...base, valid: 'unknown', active: false })).toEqual({
      status: 'verifying',
      detail: null,
    })
    expect(outcomeOf({ ...base, valid: 'valid', active: false }).status).toBe('verifying')
    expect(
      outcomeOf({ ...base, valid: 'unknown', reasons: [{ code: 'Error.UnknownDeclarationType' }] }),
    ).toEqual({ status: 'failed', detail: 'Error.UnknownDeclarationType' })
    expect(outcomeOf({ ...base, valid: 'weird' })).toEqual({
      status: 'failed',
      detail: 'undefined declaration status',
    })
  })

  it('reads FullReport and an empty first report', () => {
    const first = parsed(fixture('status.1st.json'))
    expect(first.configurations).toEqual([])
    expect(parsed(Buffer.from('{"StatusItems":{},"FullReport":true}')).fullReport).toBe(true)
  })

  it('refuses malformed JSON and wrong shapes with a reason', () => {
    expect(parseStatusReport(Buffer.from('{not json'))).toBe('status Data is not valid JSON')
    expect(
      parseStatusReport(
        Buffer.from('{"StatusItems":{"management":{"declarations":{"configurations":[{}]}}}}'),
      ),
    ).toMatch(/^status Data is not a status report: StatusItems\.management/)
  })
})
