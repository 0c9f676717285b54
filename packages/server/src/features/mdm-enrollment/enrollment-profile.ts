import { randomUUID } from 'node:crypto'
import * as plist from 'plist'

/** Fleet's PayloadIdentifier for its enrollment profile (hosts report it in osquery's `mdm`). */
export const FLEET_PAYLOAD_IDENTIFIER = 'com.fleetdm.fleet.mdm.apple'

/** Fleet's paths under the server URL. */
export const MDM_PATH = '/mdm/apple/mdm'
export const SCEP_URL_PATH = '/mdm/apple/scep'

/** Every right an MDM server can hold (1 | 2 | … | 4096). */
export const ALL_ACCESS_RIGHTS = 8191

/** What the server tells devices it supports (user channels and bootstrap tokens). */
export const SERVER_CAPABILITIES = [
  'com.apple.mdm.per-user-connections',
  'com.apple.mdm.bootstraptoken',
]

export interface EnrollmentProfileInput {
  /** `server_settings.server_url`, without a trailing slash. */
  serverUrl: string
  /** The push topic, from the APNs certificate's UID. */
  topic: string
  challenge: string
  orgName: string
}

/** A plist dictionary, as `plist` builds it. */
type PlistDict = { [key: string]: plist.PlistValue }

/**
 * The manual enrollment profile (`.mobileconfig`, unsigned XML): a SCEP payload that gets the
 * device its identity certificate from this server, and an MDM payload that names that
 * certificate (IdentityCertificateUUID = the SCEP payload's UUID), the push topic and the check-in
 * URL, with `SignMessage` so every request carries an `Mdm-Signature`. PayloadContent[0] is the
 * SCEP payload and [1] the MDM payload, the order Fleet's device tests read them in.
 */
export function buildEnrollmentProfile(input: EnrollmentProfileInput): string {
  const base = input.serverUrl.replace(/\/+$/, '')
  const scepUuid = randomUUID().toUpperCase()
  const org = input.orgName || 'Fleet'
  const scep: PlistDict = {
    PayloadType: 'com.apple.security.scep',
    PayloadVersion: 1,
    PayloadIdentifier: `${FLEET_PAYLOAD_IDENTIFIER}.scep`,
    PayloadUUID: scepUuid,
    PayloadDisplayName: 'Fleet identity',
    PayloadContent: {
      URL: `${base}${SCEP_URL_PATH}`,
      Challenge: input.challenge,
      Keysize: 2048,
      'Key Type': 'RSA',
      // signing and encryption
      'Key Usage': 5,
      Subject: [[['O', org]], [['CN', 'Fleet Identity']]],
      Retries: 3,
      RetryDelay: 10,
    },
  }
  const mdm: PlistDict = {
    PayloadType: 'com.apple.mdm',
    PayloadVersion: 1,
    PayloadIdentifier: `${FLEET_PAYLOAD_IDENTIFIER}.mdm`,
    PayloadUUID: randomUUID().toUpperCase(),
    PayloadDisplayName: 'Fleet MDM',
    IdentityCertificateUUID: scepUuid,
    Topic: input.topic,
    ServerURL: `${base}${MDM_PATH}`,
    SignMessage: true,
    AccessRights: ALL_ACCESS_RIGHTS,
    CheckOutWhenRemoved: true,
    ServerCapabilities: SERVER_CAPABILITIES,
  }
  return plist.build({
    PayloadType: 'Configuration',
    PayloadVersion: 1,
    PayloadIdentifier: FLEET_PAYLOAD_IDENTIFIER,
    PayloadUUID: randomUUID().toUpperCase(),
    PayloadDisplayName: `${org} enrollment`,
    PayloadDescription: `This profile enrolls your device with ${org}'s Fleet for management.`,
    PayloadOrganization: org,
    PayloadScope: 'System',
    PayloadContent: [scep, mdm],
  })
}
