import { readFileSync } from 'node:fs'
import { build, parse } from 'plist'
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { parsePlist, PlistParseError } from './plist.js'

const fixture = (name: string) =>
  readFileSync(new URL(`../../../../shared/fixtures/mdm/${name}`, import.meta.url), 'utf8')

const MALFORMED: [string, string][] = [
  ['unclosed element', '<?xml version="1.0"?><plist><dict><key>A</key><string>x</dict></plist>'],
  ['mismatched end tag', '<plist version="1.0"><dict></array></plist>'],
  ['garbage', 'not xml at all <<<'],
  ['empty', ''],
  ['attribute without value', '<plist version><dict/></plist>'],
  ['unknown entity', '<plist><string>&bogus;</string></plist>'],
  ['two roots', '<plist><dict/></plist><plist><dict/></plist>'],
]

describe('parsePlist', () => {
  let consoleSpies: MockInstance[] = []
  beforeEach(() => {
    consoleSpies = (['error', 'warn', 'log', 'info'] as const).map((m) => vi.spyOn(console, m))
  })
  afterEach(() => {
    for (const spy of consoleSpies) {
      spy.mockRestore()
    }
  })

  it.each(MALFORMED)('refuses %s with a PlistParseError and prints nothing', (_name, xml) => {
    expect(() => parsePlist(xml)).toThrow(PlistParseError)
    for (const spy of consoleSpies) {
      expect(spy).not.toHaveBeenCalled()
    }
  })

  it('names the XML problem in its message', () => {
    expect(() => parsePlist('<plist><dict></array></plist>')).toThrow(/malformed XML/)
  })

  it.each([
    ['not a plist root', '<html><body/></html>', /first element should be <plist>/],
    ['dict key missing', '<plist><dict><string>x</string></dict></plist>', /missing <key>/],
    ['dangling key', '<plist><dict><key>A</key></dict></plist>', /must alternate/],
    ['bad integer', '<plist><integer>12abc</integer></plist>', /as <integer>/],
    ['bad date', '<plist><date>yesterday</date></plist>', /as <date>/],
    ['bad data', '<plist><data>@@@</data></plist>', /not base64/],
    ['unknown tag', '<plist><blob/></plist>', /invalid plist tag <blob>/],
    ['two values', '<plist><true/><false/></plist>', /exactly one value/],
    ['__proto__ key', '<plist><dict><key>__proto__</key><dict/></dict></plist>', /__proto__/],
  ])('refuses %s', (_name, xml, message) => {
    expect(() => parsePlist(xml)).toThrow(message)
  })

  it.each([
    'Authenticate.1.plist',
    'Authenticate.2.plist',
    'TokenUpdate.1.plist',
    'TokenUpdate.2.plist',
    'DeviceInformation.1.plist',
    'enroll.mobileconfig',
  ])('reads the fixture %s as the plist package does', (name) => {
    const xml = fixture(name)
    expect(parsePlist(xml)).toEqual(parse(xml))
  })

  it('round-trips every value type built by plist.build', () => {
    const value = {
      s: 'héllo & <world>',
      i: -42,
      r: 1.5,
      t: true,
      f: false,
      d: new Date('2026-12-07T20:00:00Z'),
      b: new Uint8Array([0, 1, 254, 255]),
      a: ['x', { nested: [] }],
      empty: {},
    }
    expect(parsePlist(build(value))).toEqual(value)
  })

  it('reads an empty <plist/> as an empty array, as plist does', () => {
    expect(parsePlist('<plist/>')).toEqual([])
  })
})
