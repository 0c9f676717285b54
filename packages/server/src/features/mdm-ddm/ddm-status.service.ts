import type { Db } from '../../db/database.js'
import { outcomeOf, type ParsedStatusReport } from './ddm-status.js'
import * as store from './mdm-ddm.store.js'

/** What one status report changed, for the log. */
export interface StatusReportResult {
  changed: number
  unknownTokens: number
  removalsDone: number
}

/**
 * Applies a status report to a host's rows (reference §4.4 item 4): each reported configuration
 * is matched to an install row by ServerToken and gets {@link outcomeOf}'s status; tokens this
 * server never sent the host are counted and ignored. Remove rows the device has seen the item
 * list without (`pending`) are then deleted — Apple reports no removals, absence is removal —
 * unless the report still names their token. Rows the report does not mention keep their status
 * (a partial report, FullReport false, only carries what changed).
 */
export async function applyStatusReport(
  db: Db,
  hostUuid: string,
  report: ParsedStatusReport,
  now: number,
): Promise<StatusReportResult> {
  const rows = await store.hostDeclarationRows(db, hostUuid)
  const installs = new Map<string, string[]>()
  const removals = new Map<string, string[]>()
  for (const row of rows) {
    const byToken = row.operation === 'install' ? installs : removals
    byToken.set(row.token, [...(byToken.get(row.token) ?? []), row.declarationUuid])
  }
  const changes = new Map<string, store.StatusChange>()
  let unknownTokens = 0
  let changed = 0
  const stillThere: string[] = []
  for (const item of report.configurations) {
    stillThere.push(...(removals.get(item['server-token']) ?? []))
    const uuids = installs.get(item['server-token'])
    if (!uuids) {
      unknownTokens += removals.has(item['server-token']) ? 0 : 1
      continue
    }
    const outcome = outcomeOf(item)
    const key = `${outcome.status}\u0000${outcome.detail ?? ''}`
    const change = changes.get(key) ?? { ...outcome, declarationUuids: [] }
    change.declarationUuids.push(...uuids)
    changes.set(key, change)
    changed += uuids.length
  }
  await store.setInstallStatuses(db, hostUuid, [...changes.values()], now)
  const removalsDone = await store.deleteSeenRemovals(db, hostUuid, stillThere)
  return { changed, unknownTokens, removalsDone }
}
