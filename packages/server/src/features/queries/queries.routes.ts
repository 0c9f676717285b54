import {
  applyQuerySpecs,
  createQuery,
  deleteQueries,
  deleteQueryById,
  deleteQueryByName,
  getHostQueryReport,
  getQuery,
  getQueryReport,
  getQuerySpec,
  getQuerySpecs,
  listQueries,
  modifyQuery,
  type Query as QueryJson,
} from '@fleet/api'
import { isoTime } from '../../platform/clock.js'
import { registerEndpoint, type EndpointRegistrar } from '../../platform/http/index.js'
import type { SavedQuery } from './query.js'
import type { ReportSettingsSource } from './query-schedule.js'
import * as reports from './query-reports.service.js'
import * as specs from './query-specs.service.js'
import * as service from './queries.service.js'

export function presentQuery(query: SavedQuery): QueryJson {
  return {
    created_at: isoTime(query.createdAt),
    updated_at: isoTime(query.updatedAt),
    id: query.id,
    name: query.name,
    description: query.description,
    query: query.query,
    team_id: query.teamId,
    interval: query.interval,
    platform: query.platform,
    min_osquery_version: query.minOsqueryVersion,
    automations_enabled: query.automationsEnabled,
    logging: query.logging,
    saved: true,
    observer_can_run: query.observerCanRun,
    discard_data: query.discardData,
    author_id: query.authorId,
    author_name: query.authorName,
    author_email: query.authorEmail,
    packs: [],
    stats: {
      system_time_p50: null,
      system_time_p95: null,
      user_time_p50: null,
      user_time_p95: null,
      total_executions: null,
    },
  }
}

function presentSpec({ query, team }: specs.SpecOfQuery) {
  return {
    name: query.name,
    description: query.description,
    query: query.query,
    team,
    interval: query.interval,
    observer_can_run: query.observerCanRun,
    platform: query.platform,
    min_osquery_version: query.minOsqueryVersion,
    automations_enabled: query.automationsEnabled,
    logging: query.logging,
    discard_data: query.discardData,
  }
}

/** Saved queries, query specs and query reports. */
export function registerQueryRoutes(
  r: EndpointRegistrar,
  { deps, reportSettings }: { deps: service.QueryDeps; reportSettings: ReportSettingsSource },
): void {
  registerEndpoint(r, listQueries, async ({ query }, ctx) => {
    const page = await service.listQueries(deps, ctx, query)
    return {
      queries: page.queries.map(presentQuery),
      count: page.count,
      meta: { has_next_results: page.hasNext, has_previous_results: (query.page ?? 0) > 0 },
    }
  })
  registerEndpoint(r, getQuery, async ({ params }, ctx) => ({
    query: presentQuery(await service.getQuery(deps, ctx, params.id)),
  }))
  registerEndpoint(r, createQuery, async ({ body }, ctx) => ({
    query: presentQuery(await service.createQuery(deps, ctx, body)),
  }))
  registerEndpoint(r, modifyQuery, async ({ params, body }, ctx) => ({
    query: presentQuery(await service.modifyQuery(deps, ctx, params.id, body)),
  }))
  registerEndpoint(r, deleteQueryByName, async ({ params, query, body }, ctx) => {
    const teamId = query.team_id ?? body.team_id ?? null
    await service.deleteQueryByName(deps, ctx, teamId, params.name)
    return {}
  })
  registerEndpoint(r, deleteQueryById, async ({ params }, ctx) => {
    await service.deleteQueryById(deps, ctx, params.id)
    return {}
  })
  registerEndpoint(r, deleteQueries, async ({ body }, ctx) => ({
    deleted: await service.deleteQueries(deps, ctx, body.ids),
  }))
  registerEndpoint(r, applyQuerySpecs, async ({ body }, ctx) => {
    await specs.applyQuerySpecs(deps, ctx, body.specs)
    return {}
  })
  registerEndpoint(r, getQuerySpecs, async ({ query }, ctx) => ({
    specs: (await specs.querySpecs(deps, ctx, query.team_id ?? null)).map(presentSpec),
  }))
  registerEndpoint(r, getQuerySpec, async ({ params, query }, ctx) => ({
    specs: presentSpec(await specs.querySpec(deps, ctx, query.team_id ?? null, params.name)),
  }))
  registerEndpoint(r, getQueryReport, async ({ params }, ctx) => {
    const report = await reports.queryReport(deps, ctx, params.id, reportSettings)
    return {
      query_id: report.queryId,
      report_clipped: report.clipped,
      results: report.rows.map((row) => ({
        host_id: row.hostId,
        host_name: row.hostName,
        last_fetched: isoTime(row.lastFetched),
        columns: row.columns ?? {},
      })),
    }
  })
  registerEndpoint(r, getHostQueryReport, async ({ params }, ctx) => {
    const report = await reports.hostQueryReport(
      deps,
      ctx,
      params.id,
      params.query_id,
      reportSettings,
    )
    return {
      query_id: report.queryId,
      host_id: report.host.id,
      host_name: report.host.name,
      last_fetched: report.lastFetched === null ? null : isoTime(report.lastFetched),
      report_clipped: report.clipped,
      results: report.rows.map((row) => ({ columns: row.columns ?? {} })),
    }
  })
}
