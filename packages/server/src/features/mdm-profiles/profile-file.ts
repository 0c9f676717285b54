import { parsePlist, type PlistValue } from '@fleet/api/plist'

/**
 * What an uploaded profile file is, checked the way Fleet checks it (reference §5) and without any
 * database: the caller adds the per-team checks (names, identifiers, labels, secrets).
 */
export type ProfileFile =
  | { kind: 'mobileconfig'; identifier: string; name: string; contents: string }
  | { kind: 'declaration'; identifier: string; name: string; type: string; contents: string }

/** A refusal: Fleet's message and the HTTP status it answers with. */
export class ProfileFileError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 422 = 400,
  ) {
    super(message)
  }
}

export const WRONG_EXTENSION =
  'Couldn’t add profile. The file should be a .mobileconfig, .xml, or .json file.'
export const WINDOWS_NOT_SUPPORTED =
  'Couldn’t add. Windows MDM isn’t supported by this server yet: upload .mobileconfig or .json profiles.'
export const INVALID_XML = 'Couldn’t add. The file should include valid XML.'
export const SIGNED_NOT_SUPPORTED =
  'Couldn’t add. Signed configuration profiles aren’t supported yet: upload the unsigned .mobileconfig.'
export const MISSING_IDENTIFIER = 'empty PayloadIdentifier in profile'
export const MISSING_NAME = 'empty PayloadDisplayName in profile'
export const OS_UPDATES =
  'Declaration profile can’t include OS updates settings. To control these settings, go to OS updates.'
export const ASSET_REFERENCE =
  'Only configuration declarations that don’t require an asset reference are supported.'
export const STATUS_SUBSCRIPTION =
  'Declaration profile can’t include status subscription type. To get host’s vitals, please use queries and policies.'
export const ONLY_CONFIGURATION =
  'Only configuration declarations (com.apple.configuration) are supported.'
export const FLEET_VARIABLES =
  'Fleet variables ($FLEET_VAR_*) are not currently supported in DDM profiles'

/** Declaration types needing an asset reference (Fleet's ForbiddenDeclTypes). */
export const FORBIDDEN_DECLARATION_TYPES: readonly string[] = [
  'com.apple.configuration.account.caldav',
  'com.apple.configuration.account.carddav',
  'com.apple.configuration.account.exchange',
  'com.apple.configuration.account.google',
  'com.apple.configuration.account.ldap',
  'com.apple.configuration.account.mail',
  'com.apple.configuration.screensharing.connection',
  'com.apple.configuration.security.certificate',
  'com.apple.configuration.security.identity',
  'com.apple.configuration.security.passkey.attestation',
  'com.apple.configuration.services.configuration-files',
  'com.apple.configuration.watch.enrollment',
]

/** Identifiers Fleet installs itself (fleetd configuration, FileVault, its CA, enrollment). */
export const FLEET_RESERVED_IDENTIFIERS: readonly string[] = [
  'com.fleetdm.fleetd.config',
  'com.fleetdm.fleet.mdm.filevault',
  'com.fleetdm.caroot',
  'com.fleetdm.fleet.mdm.apple.mdm',
]
/** Names of the profiles Fleet installs itself. */
export const FLEET_RESERVED_NAMES: readonly string[] = [
  'Fleetd configuration',
  'Disk encryption',
  'Fleet root certificate authority (CA)',
]
/** Payload types Fleet manages through its own settings (FileVault through disk encryption). */
export const FLEET_RESERVED_PAYLOAD_TYPES: readonly string[] = ['com.apple.MCX.FileVault2']

export const reservedIdentifier = (identifier: string): string =>
  `payload identifier ${identifier} is not allowed`
export const reservedName = (name: string): string => `name ${name} is not allowed`
export const reservedPayloadType = (types: readonly string[]): string =>
  `unsupported PayloadType(s): ${types.join(', ')}`
export const invalidPayloadType = (type: string): string => `invalid PayloadType: ${type}`
export const invalidJson = (err: string): string =>
  `Couldn't upload. The file should include valid JSON: ${err}`

const SECRET_PATTERN = /\$\{?FLEET_SECRET_([A-Za-z0-9_]+)\}?/g
const FLEET_VAR_PATTERN = /\$\{?FLEET_VAR_[A-Za-z0-9_]+\}?/

/** Names of the `$FLEET_SECRET_<NAME>` / `${FLEET_SECRET_<NAME>}` references in a file. */
export function secretNames(contents: string): string[] {
  return [...new Set([...contents.matchAll(SECRET_PATTERN)].map((m) => m[1] ?? ''))].sort()
}

function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.')
  return dot === -1 ? '' : filename.slice(dot).toLowerCase()
}

function baseName(filename: string): string {
  const dot = filename.lastIndexOf('.')
  return dot === -1 ? filename : filename.slice(0, dot)
}

function asDict(value: PlistValue | undefined): Record<string, PlistValue> | undefined {
  return value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !ArrayBuffer.isView(value)
    ? (value as Record<string, PlistValue>)
    : undefined
}

function text(value: PlistValue | undefined): string {
  return typeof value === 'string' ? value.trim() : ''
}

export function parseMobileconfig(contents: string): ProfileFile {
  if (!contents.trimStart().startsWith('<')) {
    throw new ProfileFileError(SIGNED_NOT_SUPPORTED)
  }
  let root: Record<string, PlistValue> | undefined
  try {
    root = asDict(parsePlist(contents))
  } catch {
    root = undefined
  }
  if (!root) {
    throw new ProfileFileError(INVALID_XML)
  }
  const type = text(root.PayloadType)
  if (type !== 'Configuration') {
    throw new ProfileFileError(invalidPayloadType(type))
  }
  const identifier = text(root.PayloadIdentifier)
  if (!identifier) {
    throw new ProfileFileError(MISSING_IDENTIFIER)
  }
  const name = text(root.PayloadDisplayName)
  if (!name) {
    throw new ProfileFileError(MISSING_NAME)
  }
  if (FLEET_RESERVED_IDENTIFIERS.includes(identifier)) {
    throw new ProfileFileError(reservedIdentifier(identifier))
  }
  if (FLEET_RESERVED_NAMES.includes(name)) {
    throw new ProfileFileError(reservedName(name))
  }
  const content = Array.isArray(root.PayloadContent) ? root.PayloadContent : []
  const reserved = content
    .map((payload) => text(asDict(payload)?.PayloadType))
    .filter((t) => FLEET_RESERVED_PAYLOAD_TYPES.includes(t))
  if (reserved.length > 0) {
    throw new ProfileFileError(reservedPayloadType([...new Set(reserved)]))
  }
  return { kind: 'mobileconfig', identifier, name, contents }
}

export function parseDeclaration(filename: string, contents: string): ProfileFile {
  let value: unknown
  try {
    value = JSON.parse(contents)
  } catch (err) {
    throw new ProfileFileError(invalidJson(err instanceof Error ? err.message : String(err)))
  }
  const decl =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {}
  const type = typeof decl.Type === 'string' ? decl.Type : ''
  const identifier = typeof decl.Identifier === 'string' ? decl.Identifier : ''
  if (FLEET_VAR_PATTERN.test(contents)) {
    throw new ProfileFileError(FLEET_VARIABLES)
  }
  if (type === 'com.apple.configuration.softwareupdate.enforcement.specific') {
    throw new ProfileFileError(OS_UPDATES, 422)
  }
  if (FORBIDDEN_DECLARATION_TYPES.includes(type)) {
    throw new ProfileFileError(ASSET_REFERENCE, 422)
  }
  if (type === 'com.apple.configuration.management.status-subscriptions') {
    throw new ProfileFileError(STATUS_SUBSCRIPTION, 422)
  }
  if (!type.startsWith('com.apple.configuration')) {
    throw new ProfileFileError(ONLY_CONFIGURATION, 422)
  }
  if (!identifier) {
    throw new ProfileFileError(invalidJson('the declaration has no Identifier'))
  }
  const name = baseName(filename)
  if (FLEET_RESERVED_NAMES.includes(name)) {
    throw new ProfileFileError(reservedName(name))
  }
  return { kind: 'declaration', identifier, name, type, contents }
}

/** Classifies and checks one uploaded file by its extension, as Fleet does. */
export function parseProfileFile(filename: string, contents: string): ProfileFile {
  switch (extensionOf(filename)) {
    case '.mobileconfig':
      return parseMobileconfig(contents)
    case '.json':
      return parseDeclaration(filename, contents)
    case '.xml':
      throw new ProfileFileError(WINDOWS_NOT_SUPPORTED)
    default:
      throw new ProfileFileError(WRONG_EXTENSION)
  }
}
