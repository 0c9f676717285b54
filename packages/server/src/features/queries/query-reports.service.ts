import { ErrorCode } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { authorize, readableHostTeams } from '../../platform/authz/index.js'
import { ForbiddenError, NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import type { ReportSettingsSource } from './query-schedule.js'
import * as results from './query-results.store.js'
import type { ReportRow } from './query-results.store.js'
import * as store from './queries.store.js'

type ReportDeps = Pick<Deps, 'db'>

export interface QueryReport {
  queryId: number
  clipped: boolean
  /** Rows with data (hosts whose last snapshot was empty have none). */
  rows: ReportRow[]
}

export interface HostQueryReport {
  queryId: number
  host: { id: number; name: string }
  lastFetched: number | null
  clipped: boolean
  rows: ReportRow[]
}

/**
 * A query's report: the latest rows from every host the user may see. Users with team roles only
 * see hosts of their teams, also in the reports of global queries; gitops, which may read the
 * query but no host, gets no rows (Fleet).
 */
export async function queryReport(
  deps: ReportDeps,
  ctx: RequestCtx,
  queryId: number,
  settings: ReportSettingsSource,
): Promise<QueryReport> {
  const query = await store.findQuery(deps.db, queryId)
  const subject = authorize(ctx.authz, { type: 'query', teamId: query?.teamId ?? null }, 'read')
  if (!query) {
    throw new NotFoundError(`query ${queryId}`, ErrorCode.QUERY_NOT_FOUND)
  }
  const rows = await results.reportRows(deps.db, queryId, readableHostTeams(subject))
  const { cap } = await settings()
  return {
    queryId,
    clipped: (await results.countReportRows(deps.db, queryId)) >= cap,
    rows: rows.filter((row) => row.columns !== null),
  }
}

/**
 * One host's part of a query's report; authorized like the host and like the query, and refused
 * to roles that read no host rows (gitops, also on the host's team).
 */
export async function hostQueryReport(
  deps: ReportDeps,
  ctx: RequestCtx,
  hostId: number,
  queryId: number,
  settings: ReportSettingsSource,
): Promise<HostQueryReport> {
  const host = await results.findReportHost(deps.db, hostId)
  const subject = authorize(ctx.authz, { type: 'host', teamId: host?.teamId ?? null }, 'read')
  if (!host) {
    throw new NotFoundError(`host ${hostId}`)
  }
  const readable = readableHostTeams(subject)
  if (readable !== undefined && (host.teamId === null || !readable.includes(host.teamId))) {
    throw new ForbiddenError()
  }
  const query = await store.findQuery(deps.db, queryId)
  authorize(ctx.authz, { type: 'query', teamId: query?.teamId ?? null }, 'read')
  if (!query) {
    throw new NotFoundError(`query ${queryId}`, ErrorCode.QUERY_NOT_FOUND)
  }
  const rows = await results.hostReportRows(deps.db, queryId, hostId)
  const { cap } = await settings()
  return {
    queryId,
    host: { id: host.id, name: host.name },
    lastFetched: rows.length === 0 ? null : Math.max(...rows.map((r) => r.lastFetched)),
    clipped: (await results.countReportRows(deps.db, queryId)) >= cap,
    rows: rows.filter((row) => row.columns !== null),
  }
}
