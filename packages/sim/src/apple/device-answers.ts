import type { PlistValue } from 'plist'

/** A plist dictionary as `plist` parses and builds it (`<data>` is a Uint8Array). */
export type PlistObject = { [key: string]: PlistValue }

/** How the simulated device answers commands. */
export type AnswerMode = 'acknowledge' | 'not-now' | 'error'

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

function installProfile(command: PlistObject, profiles: ProfileStore): void {
  const payload = command.Payload
  const text = payload instanceof Uint8Array ? Buffer.from(payload).toString('utf8') : ''
  const identifier = /<key>PayloadIdentifier<\/key>\s*<string>([^<]*)<\/string>/.exec(text)?.[1]
  if (identifier) {
    profiles.set(identifier, {
      PayloadIdentifier: identifier,
      PayloadDisplayName: identifier,
      IsManaged: true,
    })
  }
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
  if (command.RequestType === 'InstallProfile') {
    installProfile(command, profiles)
  }
  if (command.RequestType === 'RemoveProfile' && typeof command.Identifier === 'string') {
    profiles.delete(command.Identifier)
  }
  return { ...base, Status: 'Acknowledged', ...resultKeys(facts, command, profiles) }
}
