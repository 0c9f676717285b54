import type { CommandError, CommandResultEvent } from '../mdm-commands/index.js'
import * as store from './mdm-ddm.store.js'

/** Fleet's text for an MDM ErrorChain: each error's description, code and domain. */
export function errorChainText(chain: readonly CommandError[]): string {
  const parts = chain.map((e) => {
    const text = e.usEnglishDescription ?? e.localizedDescription ?? 'unknown error'
    return `${text} (${e.errorDomain ?? 'unknown domain'}: ${e.errorCode ?? '?'})`
  })
  return parts.length > 0
    ? parts.join('; ')
    : 'the device refused the DeclarativeManagement command'
}

/**
 * A device's answer to a `DeclarativeManagement` command (reference §4.4 item 2): Acknowledged
 * moves its pending install rows to verifying (the status report decides the rest); Error or
 * CommandFormatError fails them with the error chain. NotNow changes nothing: the command is
 * offered again. Runs in the report's transaction.
 */
export async function onDeclarativeManagementResult(event: CommandResultEvent): Promise<void> {
  if (event.enrollmentId !== event.deviceId) {
    return // a user channel: declarations are device-scoped here
  }
  const hostUuid = await store.hostUuidOfDevice(event.db, event.deviceId)
  switch (event.report.status) {
    case 'Acknowledged':
      await store.moveInstallStatuses(
        event.db,
        hostUuid,
        'pending',
        { status: 'verifying', detail: null },
        event.now,
      )
      return
    case 'Error':
    case 'CommandFormatError':
      await store.moveInstallStatuses(
        event.db,
        hostUuid,
        'pending',
        { status: 'failed', detail: errorChainText(event.report.errorChain) },
        event.now,
      )
      return
    default:
      return
  }
}
