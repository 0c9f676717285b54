import { ErrorCode } from '@fleet/api'
import { parsePlist, type PlistValue } from '@fleet/api/plist'
import { build } from 'plist'
import { InvalidArgumentError } from '../../platform/errors/index.js'

/** A plist dictionary, as `plist` parses and builds it (`<data>` is a Uint8Array). */
export type PlistDict = { [key: string]: PlistValue }

/** What a device answers about a command (`Status` of a report to the ServerURL). */
export const COMMAND_STATUSES = [
  'Idle',
  'Acknowledged',
  'Error',
  'CommandFormatError',
  'NotNow',
] as const
export type CommandStatus = (typeof COMMAND_STATUSES)[number]

/**
 * Largest command result (report plist) the queue stores: 4 MiB. The biggest real answers
 * (InstalledApplicationList, ProfileList with certificates) stay far below it; beyond it the
 * device gets a 400 (BODY_TOO_LARGE) rather than a row MySQL's MEDIUMTEXT (16 MiB) would truncate.
 */
export const MAX_COMMAND_RESULT_BYTES = 4 * 1024 * 1024

/** Largest command plist accepted for queueing (an InstallProfile carries a whole profile). */
export const MAX_COMMAND_BYTES = 4 * 1024 * 1024

/** One entry of a report's ErrorChain, kept as the device sent it. */
export interface CommandError {
  errorCode: number | undefined
  errorDomain: string | undefined
  localizedDescription: string | undefined
  usEnglishDescription: string | undefined
}

/** A device's report to the ServerURL, decoded. */
export interface CommandReport {
  status: CommandStatus
  /** Absent only when Idle. */
  commandUuid: string | undefined
  errorChain: CommandError[]
  /** Every key of the report (enrollment keys, QueryResponses…). */
  values: PlistDict
  /** The report plist exactly as received; stored as the result. */
  raw: string
}

/** A command as the queue stores it: its plist and the two fields the queue reads from it. */
export interface EncodedCommand {
  commandUuid: string
  requestType: string
  plist: string
}

function isDict(value: PlistValue | undefined): value is PlistDict {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    !(value instanceof Date)
  )
}

function invalid(reason: string, code?: ErrorCode): InvalidArgumentError {
  return InvalidArgumentError.field('plist', reason, code)
}

/** Parses an XML plist whose root is a dictionary; 400 (InvalidArgumentError) otherwise. */
export function parsePlistDict(xml: string): PlistDict {
  let value: PlistValue
  try {
    value = parsePlist(xml)
  } catch (err) {
    throw invalid(`malformed plist: ${err instanceof Error ? err.message : String(err)}`)
  }
  if (!isDict(value)) {
    throw invalid('the plist root must be a dictionary')
  }
  return value
}

/**
 * Builds a command plist: `{CommandUUID, Command: {RequestType, ...params}}`, as devices expect it
 * (it starts with `<?xml`, which the queue checks, as nanomdm's storage does).
 *
 * @example encodeCommand(randomUUID(), 'DeviceInformation', { Queries: ['UDID', 'OSVersion'] })
 */
export function encodeCommand(
  commandUuid: string,
  requestType: string,
  params: PlistDict = {},
): EncodedCommand {
  if (!commandUuid.trim() || !requestType.trim()) {
    throw invalid('a command needs a CommandUUID and a RequestType')
  }
  const plist = build({
    CommandUUID: commandUuid,
    Command: { ...params, RequestType: requestType },
  })
  return { commandUuid, requestType, plist }
}

/**
 * Reads a raw command plist (e.g. one an admin uploads to run): it must start with `<?xml` and
 * carry CommandUUID and Command.RequestType (nanomdm's DecodeCommand rules).
 */
export function decodeCommand(xml: string): EncodedCommand {
  if (Buffer.byteLength(xml) > MAX_COMMAND_BYTES) {
    throw invalid(
      `a command plist is limited to ${MAX_COMMAND_BYTES} bytes`,
      ErrorCode.BODY_TOO_LARGE,
    )
  }
  if (!xml.trimStart().startsWith('<?xml')) {
    throw invalid('a command plist must start with <?xml')
  }
  const dict = parsePlistDict(xml)
  const commandUuid = dict.CommandUUID
  const command = dict.Command
  const requestType = isDict(command) ? command.RequestType : undefined
  if (typeof commandUuid !== 'string' || !commandUuid.trim()) {
    throw invalid('the command has no CommandUUID')
  }
  if (typeof requestType !== 'string' || !requestType.trim()) {
    throw invalid('the command has no Command.RequestType')
  }
  return { commandUuid, requestType, plist: xml }
}

function optionalString(value: PlistValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined
}

function toCommandError(value: PlistValue): CommandError {
  const dict = isDict(value) ? value : {}
  return {
    errorCode: typeof dict.ErrorCode === 'number' ? dict.ErrorCode : undefined,
    errorDomain: optionalString(dict.ErrorDomain),
    localizedDescription: optionalString(dict.LocalizedDescription),
    usEnglishDescription: optionalString(dict.USEnglishDescription),
  }
}

function isStatus(value: PlistValue | undefined): value is CommandStatus {
  return typeof value === 'string' && (COMMAND_STATUSES as readonly string[]).includes(value)
}

/**
 * Decodes a device's report to the ServerURL. Refuses (400) a report over
 * MAX_COMMAND_RESULT_BYTES, a malformed plist, an unknown Status, and a non-Idle report without
 * CommandUUID.
 */
export function parseCommandReport(raw: string): CommandReport {
  if (Buffer.byteLength(raw) > MAX_COMMAND_RESULT_BYTES) {
    throw invalid(
      `a command result is limited to ${MAX_COMMAND_RESULT_BYTES} bytes`,
      ErrorCode.BODY_TOO_LARGE,
    )
  }
  const values = parsePlistDict(raw)
  const status = values.Status
  if (!isStatus(status)) {
    throw invalid(`unknown Status ${JSON.stringify(status ?? null)}`)
  }
  const commandUuid = optionalString(values.CommandUUID)
  if (status !== 'Idle' && !commandUuid) {
    throw invalid(`a ${status} report needs a CommandUUID`)
  }
  const chain = values.ErrorChain
  return {
    status,
    commandUuid: status === 'Idle' ? undefined : commandUuid,
    errorChain: Array.isArray(chain) ? chain.map(toCommandError) : [],
    values,
    raw,
  }
}
