import {
  ErrorCode,
  type CreateCampaignByIdentifiersRequest,
  type CreateCampaignRequest,
  type TargetMetrics,
} from '@fleet/api'
import type { Deps } from '../../deps.js'
import { authorize, type Subject } from '../../platform/authz/index.js'
import {
  ForbiddenError,
  InternalError,
  InvalidArgumentError,
  NotFoundError,
} from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { recordActivity } from '../activities/index.js'
import type { CampaignRegistry } from './campaign-registry.js'
import {
  CampaignStatus,
  MAX_CAMPAIGN_AGE_MS,
  ORPHAN_AFTER_MS,
  targetableTeams,
  targetMetrics,
  type Campaign,
  type SavedQuerySource,
} from './live-query.js'
import * as store from './live-queries.store.js'

/** What the feature needs from outside: saved queries and the org setting that disables it. */
export interface LiveQuerySources {
  savedQueries: SavedQuerySource
  /** `server_settings.live_query_disabled` (cached by app-config; read on the check-in path). */
  liveQueryDisabled(): Promise<boolean>
}

/** The SQL a campaign runs: ad-hoc, or a saved query's. */
export interface QueryToRun {
  sql: string
  queryId: number | null
  queryName: string | null
  observerCanRun: boolean
  /** The saved query's team (null: global or ad hoc). */
  teamId: number | null
}

export interface LaunchOptions {
  /** A reader is there from the start (synchronous runs): never stopped as orphaned. */
  selected: boolean
  /** Called with the new id before any host can be asked: subscribe to its results here. */
  listen?: (campaignId: number) => Promise<void>
}

export type CampaignService = ReturnType<typeof createCampaignService>

/** Anyone who may run some query live passes this; the specific check comes with the query. */
export function authorizeLiveQueries(ctx: RequestCtx): Subject {
  return authorize(ctx.authz, { type: 'live_query', observerCanRun: true }, 'create')
}

/**
 * Campaigns: authorize, resolve the targets once (the caller's teams only), store the campaign
 * with its audit record, then start it on every instance through the registry.
 */
export function createCampaignService(
  deps: Pick<Deps, 'db' | 'clock' | 'log'>,
  registry: CampaignRegistry,
  sources: LiveQuerySources,
) {
  const { db, clock } = deps

  /** Resolves the query and authorizes running it on `targetTeamIds` (403 when disabled). */
  async function queryToRun(
    ctx: RequestCtx,
    input: { query?: string | undefined; queryId?: number | null | undefined },
    targetTeamIds?: readonly number[],
  ): Promise<QueryToRun> {
    authorizeLiveQueries(ctx)
    let query: QueryToRun
    if (input.queryId !== undefined && input.queryId !== null) {
      const saved = await sources.savedQueries.find(input.queryId)
      if (!saved) {
        throw new NotFoundError('query', ErrorCode.QUERY_NOT_FOUND)
      }
      query = {
        sql: saved.query,
        queryId: saved.id,
        queryName: saved.name,
        observerCanRun: saved.observerCanRun,
        teamId: saved.teamId,
      }
    } else {
      const sql = (input.query ?? '').trim()
      if (sql === '') {
        throw InvalidArgumentError.field('query', 'query may not be empty')
      }
      query = { sql, queryId: null, queryName: null, observerCanRun: false, teamId: null }
    }
    authorize(
      ctx.authz,
      {
        type: 'live_query',
        observerCanRun: query.observerCanRun,
        targetTeamIds,
        queryTeamId: query.teamId,
      },
      'create',
    )
    await ensureEnabled(ctx)
    return query
  }

  /** 403 when an administrator disabled live queries (`server_settings.live_query_disabled`). */
  async function ensureEnabled(ctx: RequestCtx): Promise<void> {
    authorizeLiveQueries(ctx)
    if (await sources.liveQueryDisabled()) {
      throw new ForbiddenError('disabled by administrator', ErrorCode.LIVE_QUERY_DISABLED)
    }
  }

  /** Stores the campaign and its `live_query` activity, then starts it on every instance. */
  async function launch(
    ctx: RequestCtx,
    query: QueryToRun,
    hostIds: number[],
    options: LaunchOptions,
  ): Promise<{ campaign: Campaign; metrics: TargetMetrics }> {
    if (hostIds.length === 0) {
      throw new InvalidArgumentError(
        [{ name: 'selected', reason: 'no hosts targeted' }],
        ErrorCode.LIVE_QUERY_NO_TARGETS,
      )
    }
    const userId = ctx.actor?.id
    if (userId === undefined) {
      throw new InternalError('starting a live query without a user')
    }
    const now = clock.now().getTime()
    const metrics = targetMetrics(await store.targetHosts(db, hostIds), now)
    const stored: Omit<Campaign, 'id'> = {
      createdAt: now,
      updatedAt: now,
      queryId: query.queryId,
      queryName: query.queryName,
      sql: query.sql,
      status: options.selected ? CampaignStatus.running : CampaignStatus.waiting,
      userId,
      hostIds,
    }
    const id = await db.transaction().execute(async (trx) => {
      const id = await store.insertCampaign(trx, stored)
      await recordActivity(trx, clock, ctx, {
        type: 'live_query',
        details: {
          targets_count: hostIds.length,
          query_sql: query.sql,
          ...(query.queryName !== null && { query_name: query.queryName }),
        },
      })
      return id
    })
    await options.listen?.(id)
    await registry.add({
      id,
      sql: query.sql,
      createdAt: now,
      targets: new Set(hostIds),
      answered: new Set(),
      selected: options.selected,
    })
    ctx.log.info({ campaignId: id, hosts: hostIds.length }, 'live query started')
    return { campaign: { ...stored, id }, metrics }
  }

  /** `POST /queries/run`: hosts, labels and teams by id. */
  async function create(ctx: RequestCtx, body: CreateCampaignRequest) {
    const { hosts, labels, teams } = body.selected
    const query = await queryToRun(
      ctx,
      { query: body.query, queryId: body.query_id },
      teams.length > 0 ? teams : undefined,
    )
    const subject = authorizeLiveQueries(ctx)
    const found = await store.labelsByIds(db, labels)
    const hostIds = await store.resolveTargets(
      db,
      {
        hostIds: hosts,
        labelIds: labels,
        allHosts: found.some((label) => label.builtin && label.name === 'All Hosts'),
        teamIds: teams,
      },
      targetableTeams(subject, query.observerCanRun),
    )
    return launch(ctx, query, hostIds, { selected: false })
  }

  /** `POST /queries/run_by_identifiers`: hosts by identifier, labels by name (400 if unknown). */
  async function createByIdentifiers(ctx: RequestCtx, body: CreateCampaignByIdentifiersRequest) {
    const query = await queryToRun(ctx, { query: body.query, queryId: body.query_id })
    const subject = authorizeLiveQueries(ctx)
    const { hosts, labels } = body.selected
    const labelIds = await store.labelIdsByNames(db, labels)
    const unknown = labels.filter((name) => !labelIds.has(name))
    if (unknown.length > 0) {
      throw InvalidArgumentError.field('base', `Invalid label name(s): ${unknown.join(', ')}.`)
    }
    const scope = targetableTeams(subject, query.observerCanRun)
    const found = await store.labelsByIds(db, [...labelIds.values()])
    const hostIds = await store.resolveTargets(
      db,
      {
        hostIds: await store.hostIdsByIdentifiers(db, hosts, scope),
        labelIds: [...labelIds.values()],
        allHosts: found.some((label) => label.builtin && label.name === 'All Hosts'),
        teamIds: [],
      },
      scope,
    )
    return launch(ctx, query, hostIds, { selected: false })
  }

  /** A reader opened the campaign: running in the database, not orphaned on any instance. */
  async function select(campaignId: number): Promise<void> {
    await store.markRunning(db, campaignId, clock.now().getTime())
    await registry.select(campaignId)
  }

  /** Finishes a campaign in the database and removes it from every instance's memory. */
  async function end(campaignId: number): Promise<void> {
    const changed = await store.finishCampaign(db, campaignId, clock.now().getTime())
    const known = registry.get(campaignId) !== undefined
    await registry.end(campaignId, changed || known)
  }

  /**
   * Stops campaigns nobody started reading within a minute of their creation, and any older
   * than a day (a reader whose instance died leaves its campaign running otherwise).
   */
  async function sweep(): Promise<number> {
    const now = clock.now().getTime()
    let stopped = 0
    for (const campaign of registry.campaigns()) {
      const age = now - campaign.createdAt
      if ((!campaign.selected && age >= ORPHAN_AFTER_MS) || age >= MAX_CAMPAIGN_AGE_MS) {
        await end(campaign.id)
        deps.log.info({ campaignId: campaign.id }, 'live query stopped: nobody reads its results')
        stopped++
      }
    }
    return stopped
  }

  return { queryToRun, ensureEnabled, launch, create, createByIdentifiers, select, end, sweep }
}
