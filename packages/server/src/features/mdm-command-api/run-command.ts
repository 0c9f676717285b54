import { build } from 'plist'
import { randomUUID } from 'node:crypto'
import { InvalidArgumentError } from '../../platform/errors/index.js'
import { decodeCommand, parsePlistDict, type EncodedCommand } from '../mdm-commands/index.js'

/** Fleet's texts for a command it can't run (`server/service/mdm.go`), all on 400 here. */
export const RUN_COMMAND_ERRORS = {
  base64: 'unable to decode base64 command',
  plist: 'unable to decode plist command',
  noHosts: 'No hosts targeted. Make sure you provide a valid UUID.',
  mdmOff:
    "Can't run the MDM command because one or more hosts have MDM turned off. Run the following command to see a list of hosts with MDM on: fleetctl get hosts --mdm.",
} as const

// Padded or not, as Fleet's Base64DecodePaddingAgnostic; whitespace (line-wrapped `base64`) is ignored.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** Base64 of a command plist → its text; 400 with Fleet's message when it isn't base64. */
export function decodeBase64Command(encoded: string): string {
  const compact = encoded.replace(/\s+/g, '')
  if (
    compact.length === 0 ||
    !BASE64.test(compact) ||
    compact.replace(/=+$/, '').length % 4 === 1
  ) {
    throw InvalidArgumentError.field('command', RUN_COMMAND_ERRORS.base64)
  }
  return Buffer.from(compact, 'base64').toString('utf8')
}

/**
 * A command plist as given to `commands/run`: it needs Command.RequestType; a missing CommandUUID
 * is generated (as Fleet does now), a given one kept. 400 "unable to decode plist command" else.
 */
export function prepareCommand(xml: string, newUuid: () => string = randomUUID): EncodedCommand {
  try {
    const dict = parsePlistDict(xml)
    const uuid = dict.CommandUUID
    if (uuid === undefined || (typeof uuid === 'string' && uuid.trim() === '')) {
      return decodeCommand(build({ ...dict, CommandUUID: newUuid() }))
    }
    return decodeCommand(xml)
  } catch (err) {
    if (err instanceof InvalidArgumentError) {
      const reason = err.details[0]?.reason
      throw new InvalidArgumentError([
        { name: 'command', reason: RUN_COMMAND_ERRORS.plist },
        ...(reason ? [{ name: 'plist', reason }] : []),
      ])
    }
    throw err
  }
}
