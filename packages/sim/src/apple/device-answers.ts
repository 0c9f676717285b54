import { parsePlist, type PlistValue } from '@fleet/api/plist'

/** A plist dictionary as `plist` parses and builds it (`<data>` is a Uint8Array). */
export type PlistObject = { [key: string]: PlistValue }

/** How the simulated device answers commands. */
export type AnswerMode = 'acknowledge' | 'not-now' | 'error' | 'command-format-error'

/** What a simulated device knows about itself (what DeviceInformation reports). */
export interface DeviceFacts {
  udid: string
  serial: string
  deviceName: string
  model: string
  osVersion: string
  buildVersion: string
}

/** Installed profiles, by PayloadIdentifier, as InstallProfile/RemoveProfile change them. */
export type ProfileStore = Map<string, PlistObject>

function queryResponses(facts: DeviceFacts, queries: PlistValue | undefined): PlistObject {
  // Shaped like DeviceInformation.1.plist's QueryResponses, with the keys Fleet asks for.
  const all: PlistObject = {
    UDID: facts.udid,
    SerialNumber: facts.serial,
    DeviceName: facts.deviceName,
    HostName: `${facts.deviceName.replace(/\s+/g, '-').toLowerCase()}.local`,
    Model: facts.model,
    ModelName: 'MacBook Pro',
    ProductName: facts.model,
    OSVersion: facts.osVersion,
    BuildVersion: facts.buildVersion,
    IsSupervised: false,
    IsMDMLostModeEnabled: false,
  }
  if (!Array.isArray(queries)) {
    return all
  }
  return Object.fromEntries(
    queries
      .filter((q): q is string => typeof q === 'string' && q in all)
      .map((q) => [q, all[q] as PlistValue]),
  )
}

/** The result keys of an acknowledged command, by RequestType. */
function resultKeys(facts: DeviceFacts, command: PlistObject, profiles: ProfileStore): PlistObject {
  switch (command.RequestType) {
    case 'DeviceInformation':
      return { QueryResponses: queryResponses(facts, command.Queries) }
    case 'ProfileList':
      return { ProfileList: [...profiles.values()] }
    case 'InstalledApplicationList':
      return {
        InstalledApplicationList: [
          {
            Identifier: 'com.apple.Safari',
            Name: 'Safari',
            ShortVersion: '17.4',
            Version: '19618',
          },
          {
            Identifier: 'com.fleetdm.desktop',
            Name: 'Fleet Desktop',
            ShortVersion: '1.0.0',
            Version: '1',
          },
        ],
      }
    default:
      return {}
  }
}

/**
 * The XML plist of a profile: as is, or inside a signed profile's CMS SignedData (whose
 * content is stored whole in its DER, so the XML can be cut out of the bytes).
 */
export function plistInside(bytes: Uint8Array): string | undefined {
  const text = Buffer.from(bytes).toString('utf8')
  const start = text.indexOf('<?xml')
  const end = text.indexOf('</plist>')
  return start === -1 || end < start ? undefined : text.slice(start, end + '</plist>'.length)
}

function isPlistObject(value: unknown): value is PlistObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    !(value instanceof Date)
  )
}

/** A `.mobileconfig` as a ProfileList entry, or undefined when it is no valid profile. */
export function profileEntry(bytes: Uint8Array, installedAt: Date): PlistObject | undefined {
  const xml = plistInside(bytes)
  let profile: unknown
  try {
    profile = xml === undefined ? undefined : parsePlist(xml)
  } catch {
    return undefined
  }
  if (
    !isPlistObject(profile) ||
    typeof profile.PayloadIdentifier !== 'string' ||
    typeof profile.PayloadUUID !== 'string'
  ) {
    return undefined
  }
  const content = Array.isArray(profile.PayloadContent) ? profile.PayloadContent : []
  return {
    PayloadIdentifier: profile.PayloadIdentifier,
    PayloadUUID: profile.PayloadUUID,
    PayloadDisplayName: String(profile.PayloadDisplayName ?? profile.PayloadIdentifier),
    PayloadVersion: Number(profile.PayloadVersion ?? 1),
    PayloadContent: content.filter(isPlistObject).map((p) => ({
      PayloadType: String(p.PayloadType ?? ''),
      PayloadIdentifier: String(p.PayloadIdentifier ?? ''),
      PayloadUUID: String(p.PayloadUUID ?? ''),
    })),
    InstallDate: installedAt,
    IsManaged: true,
    IsEncrypted: false,
    HasRemovalPasscode: false,
  }
}

const MALFORMED_PROFILE = {
  ErrorCode: 1000,
  ErrorDomain: 'MCProfileErrorDomain',
  LocalizedDescription: 'The profile is malformed.',
  USEnglishDescription: 'The profile is malformed.',
}

/** InstallProfile: keeps the profile (by PayloadIdentifier); an ErrorChain when it won't parse. */
function installProfile(command: PlistObject, profiles: ProfileStore): PlistObject | undefined {
  const payload = command.Payload
  const entry = payload instanceof Uint8Array ? profileEntry(payload, new Date()) : undefined
  if (entry === undefined) {
    return { Status: 'Error', ErrorChain: [MALFORMED_PROFILE] }
  }
  profiles.set(String(entry.PayloadIdentifier), entry)
  return undefined
}

/**
 * The report a device sends for `command` (`{CommandUUID, Command}`), per `mode`: Acknowledged
 * with the RequestType's result keys (and its effect on installed profiles), NotNow, or Error
 * with an ErrorChain.
 */
export function answerCommand(
  facts: DeviceFacts,
  envelope: PlistObject,
  mode: AnswerMode,
  profiles: ProfileStore,
): PlistObject {
  const commandUuid = String(envelope.CommandUUID ?? '')
  const command = (envelope.Command ?? {}) as PlistObject
  const base = {
    UDID: facts.udid,
    CommandUUID: commandUuid,
    RequestType: command.RequestType ?? '',
  }
  if (mode === 'not-now') {
    return { ...base, Status: 'NotNow' }
  }
  if (mode === 'error') {
    const chain = {
      ErrorCode: 12021,
      ErrorDomain: 'MCMDMErrorDomain',
      LocalizedDescription: 'Simulated failure',
      USEnglishDescription: 'Simulated failure',
    }
    return { ...base, Status: 'Error', ErrorChain: [chain] }
  }
  if (mode === 'command-format-error') {
    return { ...base, Status: 'CommandFormatError' }
  }
  if (command.RequestType === 'InstallProfile') {
    const failed = installProfile(command, profiles)
    if (failed) {
      return { ...base, ...failed }
    }
  }
  if (command.RequestType === 'RemoveProfile' && typeof command.Identifier === 'string') {
    profiles.delete(command.Identifier)
  }
  return { ...base, Status: 'Acknowledged', ...resultKeys(facts, command, profiles) }
}
