import {
  parsePlistDict,
  type CommandResultEvent,
  type PlistDict,
  type ResultHandlers,
} from '../mdm-commands/index.js'
import {
  errorDetail,
  isProfileNotFound,
  NOT_FOUND_DETAIL,
  verdict,
  type InstalledProfile,
} from './delivery.js'
import * as rows from './host-profiles.store.js'

/** The host of the device that answered; undefined for a device bound to no host. */
function hostOf(e: CommandResultEvent): Promise<string | undefined> {
  return rows.hostUuidOfDevice(e.db, e.deviceId)
}

/** InstallProfile: Acknowledged → verifying; Error/CommandFormatError → failed; NotNow waits. */
async function onInstall(e: CommandResultEvent): Promise<void> {
  const hostUuid = e.report.status === 'NotNow' ? undefined : await hostOf(e)
  if (hostUuid === undefined) {
    return
  }
  const where = { hostUuid, commandUuid: e.commandUuid, operation: 'install' as const }
  if (e.report.status === 'Acknowledged') {
    await rows.setStatusByCommand(e.db, where, 'verifying', null, e.now)
    return
  }
  const detail = errorDetail(e.report.errorChain, e.report.status)
  await rows.setStatusByCommand(e.db, where, 'failed', detail, e.now)
}

/**
 * RemoveProfile: Acknowledged (or "not installed", MCProfileErrorDomain 89) → the row goes;
 * another error → failed, kept visible as Fleet does; NotNow waits.
 */
async function onRemove(e: CommandResultEvent): Promise<void> {
  const hostUuid = e.report.status === 'NotNow' ? undefined : await hostOf(e)
  if (hostUuid === undefined) {
    return
  }
  if (e.report.status === 'Acknowledged' || isProfileNotFound(e.report.errorChain)) {
    await rows.deleteRemoved(e.db, hostUuid, e.commandUuid)
    return
  }
  const where = { hostUuid, commandUuid: e.commandUuid, operation: 'remove' as const }
  const detail = errorDetail(e.report.errorChain, e.report.status)
  await rows.setStatusByCommand(e.db, where, 'failed', detail, e.now)
}

function isDict(value: unknown): value is PlistDict {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The profiles a ProfileList answer lists, by PayloadIdentifier. */
export function installedProfiles(values: PlistDict): Map<string, InstalledProfile> {
  const list = values.ProfileList
  const out = new Map<string, InstalledProfile>()
  for (const item of Array.isArray(list) ? list : []) {
    if (isDict(item) && typeof item.PayloadIdentifier === 'string') {
      out.set(item.PayloadIdentifier, {
        identifier: item.PayloadIdentifier,
        payloadUuid: typeof item.PayloadUUID === 'string' ? item.PayloadUUID : undefined,
      })
    }
  }
  return out
}

/** The top-level PayloadUUID of a stored `.mobileconfig`, if it reads. */
function payloadUuidOf(contents: string | null): string | undefined {
  if (contents === null) {
    return undefined
  }
  try {
    const uuid = parsePlistDict(contents).PayloadUUID
    return typeof uuid === 'string' ? uuid : undefined
  } catch {
    return undefined
  }
}

/**
 * ProfileList (Acknowledged): each verifying row is verified when the device lists it; missing,
 * it is re-installed once (status back to not sent), then failed "profile not found on host".
 * Other answers change nothing: the host is asked again later, and the timeout ends the wait.
 */
async function onProfileList(e: CommandResultEvent): Promise<void> {
  const hostUuid = e.report.status === 'Acknowledged' ? await hostOf(e) : undefined
  if (hostUuid === undefined) {
    return
  }
  const installed = installedProfiles(e.report.values)
  const verdicts = { verified: [] as string[], reinstall: [] as string[], failed: [] as string[] }
  for (const row of await rows.verifyingRows(e.db, hostUuid)) {
    const v = verdict({ ...row, payloadUuid: payloadUuidOf(row.contents) }, installed)
    verdicts[v === 'verified' ? 'verified' : v === 'reinstall' ? 'reinstall' : 'failed'].push(
      row.profileUuid,
    )
  }
  await rows.applyVerdicts(e.db, hostUuid, verdicts, NOT_FOUND_DETAIL, e.now)
}

/** Registers delivery's result handlers on the command queue. */
export function registerResultHandlers(handlers: ResultHandlers): void {
  handlers.register('InstallProfile', onInstall)
  handlers.register('RemoveProfile', onRemove)
  handlers.register('ProfileList', onProfileList)
}
