import { describe, expect, it } from 'vitest'
import { InvalidArgumentError } from '../../platform/errors/index.js'
import { decodeBase64Command, prepareCommand, RUN_COMMAND_ERRORS } from './run-command.js'

const plist = (inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict>${inner}</dict></plist>`
const restart =
  '<key>Command</key><dict><key>RequestType</key><string>RestartDevice</string></dict>'

function reasons(fn: () => unknown): string[] {
  try {
    fn()
  } catch (err) {
    if (err instanceof InvalidArgumentError) {
      return err.details.map((d) => d.reason)
    }
    throw err
  }
  throw new Error('did not throw')
}

describe('decodeBase64Command', () => {
  it('takes padded, unpadded and line-wrapped base64', () => {
    expect(decodeBase64Command(Buffer.from('abcd!').toString('base64'))).toBe('abcd!')
    expect(decodeBase64Command('YWJjZCE')).toBe('abcd!')
    expect(decodeBase64Command('YWJj\nZCE=')).toBe('abcd!')
  })
  it("refuses what isn't base64, and nothing", () => {
    for (const bad of ['not base64!', '', 'YWJjZ', '====']) {
      expect(reasons(() => decodeBase64Command(bad))).toEqual([RUN_COMMAND_ERRORS.base64])
    }
  })
})

describe('prepareCommand', () => {
  it('keeps a given CommandUUID and the plist as sent', () => {
    const xml = plist(`${restart}<key>CommandUUID</key><string>0001_Restart</string>`)
    expect(prepareCommand(xml)).toEqual({
      commandUuid: '0001_Restart',
      requestType: 'RestartDevice',
      plist: xml,
    })
  })
  it('generates a CommandUUID when there is none', () => {
    const cmd = prepareCommand(plist(restart), () => 'generated-1')
    expect(cmd.commandUuid).toBe('generated-1')
    expect(cmd.plist).toContain('<string>generated-1</string>')
    expect(cmd.requestType).toBe('RestartDevice')
  })
  it("refuses a plist without RequestType, or that isn't a plist, with Fleet's message", () => {
    for (const bad of [
      plist('<key>CommandUUID</key><string>x</string>'),
      '<plist><dict><key>Command</key>',
      'hello',
      plist('<key>Command</key><string>RestartDevice</string>'),
    ]) {
      expect(reasons(() => prepareCommand(bad))[0]).toBe(RUN_COMMAND_ERRORS.plist)
    }
  })
})
