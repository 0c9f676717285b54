import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { build } from 'plist'
import { InvalidArgumentError } from '../../platform/errors/index.js'
import {
  MAX_COMMAND_RESULT_BYTES,
  decodeCommand,
  encodeCommand,
  parseCommandReport,
  parsePlistDict,
} from './command.js'

const FIXTURES = new URL('../../../../../../shared/fixtures/mdm/', import.meta.url)
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8')

/** The reason a call was refused with (InvalidArgumentError's detail). */
function refusal(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    if (err instanceof InvalidArgumentError) {
      return err.details.map((d) => d.reason).join('; ')
    }
    throw err
  }
  throw new Error('not refused')
}

describe('encodeCommand', () => {
  it('builds a plist that starts with <?xml and carries the uuid, RequestType and params', () => {
    const cmd = encodeCommand('uuid-1', 'DeviceInformation', { Queries: ['UDID', 'OSVersion'] })
    expect(cmd.plist.startsWith('<?xml')).toBe(true)
    expect(parsePlistDict(cmd.plist)).toEqual({
      CommandUUID: 'uuid-1',
      Command: { RequestType: 'DeviceInformation', Queries: ['UDID', 'OSVersion'] },
    })
    expect(decodeCommand(cmd.plist)).toEqual(cmd)
  })

  it('encodes binary params as <data> (an InstallProfile payload)', () => {
    const cmd = encodeCommand('u', 'InstallProfile', { Payload: Buffer.from('<plist/>') })
    expect(cmd.plist).toContain(`<data>${Buffer.from('<plist/>').toString('base64')}</data>`)
  })

  it('refuses an empty uuid or request type, and params cannot override RequestType', () => {
    expect(refusal(() => encodeCommand('', 'X'))).toMatch(/CommandUUID/)
    expect(refusal(() => encodeCommand('u', ' '))).toMatch(/RequestType/)
    const cmd = encodeCommand('u', 'ProfileList', { RequestType: 'EraseDevice' })
    expect(decodeCommand(cmd.plist).requestType).toBe('ProfileList')
  })
})

describe('decodeCommand', () => {
  it('refuses a plist not starting with <?xml, without CommandUUID or RequestType', () => {
    const noUuid = build({ Command: { RequestType: 'X' } })
    const noType = build({ CommandUUID: 'u', Command: {} })
    expect(refusal(() => decodeCommand('<plist><dict/></plist>'))).toMatch(/<\?xml/)
    expect(refusal(() => decodeCommand(noUuid))).toMatch(/CommandUUID/)
    expect(refusal(() => decodeCommand(noType))).toMatch(/RequestType/)
    expect(refusal(() => decodeCommand(build(['a'])))).toMatch(/dictionary/)
  })
})

describe('parseCommandReport', () => {
  it('reads the DeviceInformation fixture as an Acknowledged result with its responses', () => {
    const raw = fixture('DeviceInformation.1.plist')
    const report = parseCommandReport(raw)
    expect(report.status).toBe('Acknowledged')
    expect(report.commandUuid).toBe('76eda240-5488-4989-8339-f2ae160113c4')
    expect(report.values.QueryResponses).toEqual({
      HostName: 'fruit.example.com',
      UDID: '66ADE930-5FDF-5EC4-8429-15640684C489',
    })
    expect(report.raw).toBe(raw)
  })

  it('keeps an Error report’s ErrorChain', () => {
    const raw = build({
      Status: 'Error',
      CommandUUID: 'c',
      UDID: 'D',
      ErrorChain: [
        {
          ErrorCode: 4,
          ErrorDomain: 'MCProfileErrorDomain',
          LocalizedDescription: 'Bad',
          USEnglishDescription: 'Bad',
        },
      ],
    })
    expect(parseCommandReport(raw).errorChain).toEqual([
      {
        errorCode: 4,
        errorDomain: 'MCProfileErrorDomain',
        localizedDescription: 'Bad',
        usEnglishDescription: 'Bad',
      },
    ])
  })

  it('accepts Idle without CommandUUID and ignores one sent with it', () => {
    expect(parseCommandReport(build({ Status: 'Idle', UDID: 'D' })).commandUuid).toBeUndefined()
  })

  it('refuses malformed plists, unknown statuses, a result without CommandUUID and huge results', () => {
    expect(refusal(() => parseCommandReport('<plist><dict><key>Status'))).toMatch(/malformed plist/)
    expect(refusal(() => parseCommandReport(build({ Status: 'Maybe' })))).toMatch(/unknown Status/)
    expect(refusal(() => parseCommandReport(build({ Status: 'Acknowledged' })))).toMatch(
      /CommandUUID/,
    )
    const huge = build({
      Status: 'Acknowledged',
      CommandUUID: 'c',
      Big: 'x'.repeat(MAX_COMMAND_RESULT_BYTES),
    })
    try {
      parseCommandReport(huge)
      expect.unreachable()
    } catch (err) {
      expect(err).toMatchObject({ code: 'BODY_TOO_LARGE', kind: 'invalid' })
    }
  })
})
