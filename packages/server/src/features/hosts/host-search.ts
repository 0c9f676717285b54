import type { Db } from '../../db/database.js'
import type { Host } from './host.js'
import * as list from './host-list.store.js'

/**
 * Hosts for a target picker (`POST /hosts/search`): those matching `text` (hostname, computer
 * name, serial, UUID, IP; empty matches all) on the teams of `scope`, minus `excludedIds`, most
 * recently seen first, at most `limit`.
 */
export function searchHosts(
  db: Db,
  search: {
    text: string
    scope: 'all' | readonly number[]
    excludedIds: readonly number[]
    now: number
    limit: number
  },
): Promise<Host[]> {
  return list.listHosts(
    db,
    {
      now: search.now,
      query: search.text,
      visibleTeamIds: search.scope === 'all' ? undefined : search.scope,
      excludedIds: search.excludedIds,
    },
    { orderKey: 'seen_time', direction: 'desc', offset: 0, limit: search.limit },
  )
}
