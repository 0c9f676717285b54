import { listLimits, MDM_COMMAND_STATUS_FILTERS } from '@fleet/api'
import type { Deps } from '../../deps.js'
import { allowed, authorize, readableHostTeams } from '../../platform/authz/index.js'
import { InvalidArgumentError, NotFoundError } from '../../platform/errors/index.js'
import type { RequestCtx } from '../../platform/http/index.js'
import { recordActivity } from '../activities/index.js'
import type { CommandQueue } from '../mdm-commands/index.js'
import {
  findCommand,
  findTargetHosts,
  listCommandResults,
  listHostCommands,
  STATUS_FILTER_VALUES,
  type CommandListFilter,
  type HostCommandResult,
  type HostCommandRow,
} from './mdm-command-api.store.js'
import { decodeBase64Command, prepareCommand, RUN_COMMAND_ERRORS } from './run-command.js'

export interface CommandApiDeps {
  deps: Pick<Deps, 'db' | 'clock'>
  queue: CommandQueue
}

export interface RunResult {
  commandUuid: string
  requestType: string
  failedUuids: string[]
}

/**
 * `POST /commands/run`, in Fleet's order: the user may run commands on every targeted host's team
 * (403), some host exists, every host is MDM-enrolled, then the command decodes. Queues it for
 * each host's device channel and pushes them; hosts whose push failed are listed, as Fleet does.
 */
export async function runCommand(
  { deps, queue }: CommandApiDeps,
  ctx: RequestCtx,
  input: { command: string; hostUuids: readonly string[] },
): Promise<RunResult> {
  authorize(ctx.authz, { type: 'mdm_command' }, 'write')
  const hosts = await findTargetHosts(deps.db, input.hostUuids)
  for (const teamId of new Set(hosts.map((h) => h.teamId))) {
    authorize(ctx.authz, { type: 'mdm_command', teamId }, 'write')
  }
  if (hosts.length === 0) {
    throw InvalidArgumentError.field('host_uuids', RUN_COMMAND_ERRORS.noHosts)
  }
  if (hosts.length < new Set(input.hostUuids).size || hosts.some((h) => h.enrollmentId === null)) {
    throw InvalidArgumentError.field('host_uuids', RUN_COMMAND_ERRORS.mdmOff)
  }
  const command = prepareCommand(decodeBase64Command(input.command))
  const hostOf = new Map(hosts.map((h) => [h.enrollmentId ?? '', h.uuid]))
  const enqueued = await queue.enqueue([...hostOf.keys()], command)
  const failedUuids = enqueued.pushes
    .filter((p) => p.outcome !== 'sent')
    .map((p) => hostOf.get(p.enrollmentId) ?? p.enrollmentId)
  await recordActivity(deps.db, deps.clock, ctx, {
    type: 'ran_mdm_command',
    details: {
      command_uuid: command.commandUuid,
      request_type: command.requestType,
      host_uuids: hosts.map((h) => h.uuid),
    },
  })
  ctx.log.info(
    { commandUuid: command.commandUuid, requestType: command.requestType, hosts: hosts.length },
    'MDM command queued',
  )
  return { commandUuid: command.commandUuid, requestType: command.requestType, failedUuids }
}

/** The host teams a reader sees (null = no team); undefined = all. */
function visibleTeams(ctx: RequestCtx): (number | null)[] | undefined {
  const subject = authorize(ctx.authz, { type: 'mdm_command' }, 'list')
  const teams = readableHostTeams(subject)
  return teams === undefined ? undefined : [...teams]
}

/** `GET /commands`: commands of the hosts the user reads, filtered and paged as Fleet does. */
export async function listCommands(
  { deps }: CommandApiDeps,
  ctx: RequestCtx,
  query: {
    page?: number | undefined
    per_page?: number | undefined
    order_key?: CommandListFilter['orderKey'] | undefined
    order_direction?: 'asc' | 'desc' | undefined
    host_identifier?: string | undefined
    request_type?: string | undefined
    command_status?: string | undefined
  },
): Promise<HostCommandRow[]> {
  const teams = visibleTeams(ctx)
  const statuses = query.command_status
    ?.split(',')
    .map((s) => s.trim())
    .filter((s): s is (typeof MDM_COMMAND_STATUS_FILTERS)[number] =>
      (MDM_COMMAND_STATUS_FILTERS as readonly string[]).includes(s),
    )
    .flatMap((s) => STATUS_FILTER_VALUES[s] ?? [])
  const orderKey = query.order_key ?? 'updated_at'
  return listHostCommands(deps.db, {
    teams,
    hostIdentifier: query.host_identifier,
    requestType: query.request_type,
    statuses,
    orderKey,
    direction: query.order_direction ?? (orderKey === 'updated_at' ? 'desc' : 'asc'),
    ...listLimits(query),
  })
}

/**
 * `GET /commands/results`: 404 for a command that doesn't exist; otherwise the answers of the
 * hosts the user reads (a host of another team is left out rather than shown without a name).
 */
export async function commandResults(
  { deps }: CommandApiDeps,
  ctx: RequestCtx,
  commandUuid: string,
): Promise<{ payload: string; results: HostCommandResult[] }> {
  authorize(ctx.authz, { type: 'mdm_command' }, 'list')
  const command = await findCommand(deps.db, commandUuid)
  if (!command) {
    throw new NotFoundError('MDM command')
  }
  const results = (await listCommandResults(deps.db, commandUuid)).filter((r) =>
    allowed(ctx.authz, { type: 'mdm_command', teamId: r.teamId }, 'read'),
  )
  return { payload: command.plist, results }
}

export type { HostCommandRow } from './mdm-command-api.store.js'
