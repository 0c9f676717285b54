import type { DeviceFacts } from './device-answers.js'

/** A declaration the device holds, as the server served it. */
export interface HeldDeclaration {
  identifier: string
  serverToken: string
  type: string
  payload: Record<string, unknown>
}

/** One entry of a status report's `management.declarations` lists (Apple's hyphenated keys). */
export interface DeclarationStatus {
  identifier: string
  'server-token': string
  active: boolean
  valid: 'valid' | 'invalid' | 'unknown'
  reasons?: { code: string; description: string; details: Record<string, string> }[]
}

/** What the device holds and how it applies it. */
export interface DeclarationSet {
  configurations: ReadonlyMap<string, HeldDeclaration>
  activations: ReadonlyMap<string, HeldDeclaration>
  /** Answer every configuration `invalid` (Error.ConfigurationCannotBeApplied), for tests. */
  failConfigurations: boolean
}

/** The configuration types this device applies; the device reports others as unknown types. */
export const SUPPORTED_CONFIGURATIONS = [
  'com.apple.configuration.legacy',
  'com.apple.configuration.legacy.interactive',
  'com.apple.configuration.management.status-subscriptions',
  'com.apple.configuration.management.test',
  'com.apple.configuration.passcode.settings',
  'com.apple.configuration.diskmanagement.settings',
  'com.apple.configuration.screensharing.host.settings',
  'com.apple.configuration.softwareupdate.settings',
  'com.apple.configuration.security.passkey.attestation',
  'com.apple.configuration.services.background-tasks',
]

/** The configuration identifiers the activations make active (`StandardConfigurations`). */
function activeIdentifiers(activations: ReadonlyMap<string, HeldDeclaration>): Set<string> {
  const active = new Set<string>()
  for (const activation of activations.values()) {
    const list = activation.payload.StandardConfigurations
    if (activation.type === 'com.apple.activation.simple' && Array.isArray(list)) {
      list.filter((id): id is string => typeof id === 'string').forEach((id) => active.add(id))
    }
  }
  return active
}

function configurationStatus(
  held: HeldDeclaration,
  active: boolean,
  fail: boolean,
): DeclarationStatus {
  const base = { identifier: held.identifier, 'server-token': held.serverToken }
  const details = { Identifier: held.identifier, ServerToken: held.serverToken }
  if (!SUPPORTED_CONFIGURATIONS.includes(held.type)) {
    const reason = {
      code: 'Error.UnknownDeclarationType',
      description: `Unknown declaration type “${held.type}”.`,
      details,
    }
    return { ...base, active: false, valid: 'unknown', reasons: [reason] }
  }
  if (!active) {
    const reason = {
      code: 'Info.NotReferencedByActivation',
      description: `Configuration “${held.identifier}:${held.serverToken}” is not referenced by an activation.`,
      details,
    }
    return { ...base, active: false, valid: 'unknown', reasons: [reason] }
  }
  if (fail) {
    const reason = {
      code: 'Error.ConfigurationCannotBeApplied',
      description: 'Configuration cannot be applied',
      details: { Error: 'Simulated failure' },
    }
    return { ...base, active: true, valid: 'invalid', reasons: [reason] }
  }
  return { ...base, active: true, valid: 'valid' }
}

/** The status of every declaration held: configurations first, then activations. */
export function declarationStatuses(set: DeclarationSet): {
  configurations: DeclarationStatus[]
  activations: DeclarationStatus[]
} {
  const active = activeIdentifiers(set.activations)
  return {
    configurations: [...set.configurations.values()].map((held) =>
      configurationStatus(held, active.has(held.identifier), set.failConfigurations),
    ),
    activations: [...set.activations.values()].map((held) => ({
      identifier: held.identifier,
      'server-token': held.serverToken,
      active: true,
      valid: 'valid',
    })),
  }
}

/** `management.client-capabilities` and `device` of a full report (shaped like status.1st.json). */
function fullReportItems(facts: DeviceFacts): Record<string, unknown> {
  return {
    'client-capabilities': {
      'supported-versions': ['1.0.0'],
      'supported-payloads': {
        declarations: {
          activations: ['com.apple.activation.simple'],
          assets: [],
          configurations: SUPPORTED_CONFIGURATIONS,
          management: ['com.apple.management.organization-info', 'com.apple.management.properties'],
        },
        'status-items': [
          'device.identifier.serial-number',
          'device.identifier.udid',
          'device.model.family',
          'device.operating-system.build-version',
          'device.operating-system.version',
          'management.client-capabilities',
          'management.declarations',
        ],
      },
      'supported-features': {},
    },
    device: {
      identifier: { udid: facts.udid, 'serial-number': facts.serial },
      model: { family: 'Mac', identifier: facts.model },
      'operating-system': {
        family: 'macOS',
        'build-version': facts.buildVersion,
        version: facts.osVersion,
      },
    },
  }
}

/**
 * A `status` report: with `full`, every declaration plus client capabilities and device facts
 * (a device's first report); otherwise only `changed` items.
 */
export function statusReport(
  facts: DeviceFacts,
  items: { configurations: DeclarationStatus[]; activations: DeclarationStatus[] },
  full: boolean,
): Record<string, unknown> {
  const { 'client-capabilities': capabilities, device } = fullReportItems(facts)
  const declarations = { ...items, assets: [], management: [] }
  return {
    StatusItems: full
      ? { management: { declarations, 'client-capabilities': capabilities }, device }
      : { management: { declarations } },
    Errors: [],
    FullReport: full,
  }
}
