import type { Deps } from '../../deps.js'
import { transactionWithRetry } from '../../platform/db/index.js'
import type { Log } from '../../platform/logger.js'
import type { DeclarativeReply, DeclarativeRequest } from '../mdm-checkin/index.js'
import { syncTokens, tokenOrder, declarationsToken } from './ddm-tokens.js'
import { applyStatusReport } from './ddm-status.service.js'
import { parseStatusReport } from './ddm-status.js'
import * as store from './mdm-ddm.store.js'

/** Status reports are a few KiB (the first, with client capabilities, ~20 KiB); refuse past this. */
export const MAX_DDM_DATA_BYTES = 1024 * 1024
/** What the request log keeps of a device's JSON. */
export const LOGGED_DATA_BYTES = 64 * 1024

/** Expands `$FLEET_SECRET_*` in a declaration as served; identity when no secrets exist. */
export type SecretExpander = (json: string) => Promise<string>

export interface DdmDeps {
  deps: Pick<Deps, 'db' | 'clock'>
  log: Log
  expandSecrets: SecretExpander
}

/** The activation this server synthesizes for each configuration (reference §4.3). */
export const ACTIVATION_SUFFIX = '.activation'

const notFound = (reason: string): DeclarativeReply => ({ status: 404, reason })
const bad = (reason: string): DeclarativeReply => ({ status: 400, reason })

/** What a host's channel may see: declarations are device-scoped, so a user channel has none. */
async function declarationsOf(s: DdmDeps, request: DeclarativeRequest, hostUuid: string) {
  return request.enrollment.userId === null ? store.installedDeclarations(s.deps.db, hostUuid) : []
}

async function tokens(s: DdmDeps, request: DeclarativeRequest, hostUuid: string) {
  const items = await declarationsOf(s, request, hostUuid)
  return { SyncTokens: syncTokens(items, s.deps.clock.now().getTime()) }
}

async function declarationItems(s: DdmDeps, request: DeclarativeRequest, hostUuid: string) {
  const items = [...(await declarationsOf(s, request, hostUuid))].sort(tokenOrder)
  await store.markRemovalsSeen(s.deps.db, hostUuid, s.deps.clock.now().getTime())
  return {
    Declarations: {
      Activations: items.map((i) => ({
        Identifier: `${i.identifier}${ACTIVATION_SUFFIX}`,
        ServerToken: i.token,
      })),
      Configurations: items.map((i) => ({ Identifier: i.identifier, ServerToken: i.token })),
      Assets: [],
      Management: [],
    },
    DeclarationsToken: declarationsToken(items),
  }
}

async function declaration(
  s: DdmDeps,
  request: DeclarativeRequest,
  hostUuid: string,
  kind: string,
  identifier: string,
): Promise<DeclarativeReply> {
  const configId =
    kind === 'activation' && identifier.endsWith(ACTIVATION_SUFFIX)
      ? identifier.slice(0, -ACTIVATION_SUFFIX.length)
      : identifier
  const found =
    (kind === 'configuration' || kind === 'activation') && request.enrollment.userId === null
      ? await store.installedDeclaration(s.deps.db, hostUuid, configId)
      : undefined
  if (!found || (kind === 'activation' && configId === identifier)) {
    return notFound(`declaration ${kind}/${identifier} not found`)
  }
  if (kind === 'activation') {
    return {
      status: 200,
      json: {
        Identifier: identifier,
        Type: 'com.apple.activation.simple',
        ServerToken: found.token,
        Payload: { StandardConfigurations: [configId] },
      },
    }
  }
  const expanded: unknown = JSON.parse(await s.expandSecrets(found.rawJson))
  const body = typeof expanded === 'object' && expanded !== null ? expanded : {}
  return { status: 200, json: { ...body, ServerToken: found.token } }
}

async function status(
  s: DdmDeps,
  request: DeclarativeRequest,
  hostUuid: string,
): Promise<DeclarativeReply> {
  if (!request.data || request.data.length === 0) {
    return bad('status needs Data (the status report JSON)')
  }
  const report = parseStatusReport(request.data)
  if (typeof report === 'string') {
    return bad(report)
  }
  if (request.enrollment.userId !== null) {
    return { status: 200, json: {} }
  }
  const now = s.deps.clock.now().getTime()
  const result = await transactionWithRetry(s.deps.db, async (trx) => {
    // A report answers the sync requests: retries start over from here.
    await store.resetSyncAttempts(trx, hostUuid)
    return applyStatusReport(trx, hostUuid, report, now)
  })
  s.log.debug({ hostUuid, ...result }, 'DDM status report applied')
  if (result.unknownTokens > 0) {
    s.log.info(
      { hostUuid, unknownTokens: result.unknownTokens },
      'DDM status report names declarations this server never sent it: ignored',
    )
  }
  return { status: 200, json: {} }
}

async function route(
  s: DdmDeps,
  request: DeclarativeRequest,
  hostUuid: string,
): Promise<DeclarativeReply> {
  switch (request.endpoint) {
    case 'tokens':
      return { status: 200, json: await tokens(s, request, hostUuid) }
    case 'declaration-items':
      return { status: 200, json: await declarationItems(s, request, hostUuid) }
    case 'status':
      return status(s, request, hostUuid)
  }
  const match = /^declaration\/([a-z]+)\/(.+)$/.exec(request.endpoint)
  if (!match?.[1] || !match[2]) {
    return bad(`unknown DDM endpoint "${request.endpoint.slice(0, 64)}"`)
  }
  return declaration(s, request, hostUuid, match[1], match[2])
}

/**
 * Answers a DeclarativeManagement check-in (reference §4): `tokens`, `declaration-items`,
 * `declaration/configuration|activation/<id>`, `status`. Every request is logged with the JSON
 * the device sent (capped).
 */
export async function handleDeclarative(
  s: DdmDeps,
  request: DeclarativeRequest,
): Promise<DeclarativeReply> {
  const now = s.deps.clock.now().getTime()
  const data = request.data
  await store.logRequest(
    s.deps.db,
    {
      enrollmentId: request.enrollment.id,
      endpoint: request.endpoint.slice(0, 255),
      rawJson: data ? data.subarray(0, LOGGED_DATA_BYTES).toString('utf8') : null,
    },
    now,
  )
  if (data && data.length > MAX_DDM_DATA_BYTES) {
    return bad(`DDM Data over ${MAX_DDM_DATA_BYTES} bytes`)
  }
  const hostUuid = await store.hostUuidOfDevice(s.deps.db, request.enrollment.deviceId)
  return route(s, request, hostUuid)
}
