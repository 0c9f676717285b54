import type { DeviceFacts } from './device-answers.js'
import {
  declarationStatuses,
  statusReport,
  type DeclarationStatus,
  type HeldDeclaration,
} from './ddm-status.js'

/** One DeclarativeManagement check-in: `Endpoint`, optional `Data` (JSON bytes) → HTTP answer. */
export type DdmSend = (endpoint: string, data?: Buffer) => Promise<{ status: number; body: string }>

/** What one sync did. */
export interface DdmSyncResult {
  /** false when the DeclarationsToken was the one already applied (no items, no status). */
  changed: boolean
  /** Declarations fetched (`declaration/configuration/*`, `declaration/activation/*`). */
  fetched: number
  /** Declarations dropped because the items no longer list them (removal by omission). */
  removed: number
  /** Status items reported. */
  reported: number
}

export class DdmProtocolError extends Error {}

type Json = Record<string, unknown>

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

async function getJson(send: DdmSend, endpoint: string): Promise<Json> {
  const answer = await send(endpoint)
  if (answer.status !== 200) {
    throw new DdmProtocolError(
      `DDM ${endpoint}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`,
    )
  }
  const json: unknown = JSON.parse(answer.body)
  if (!isJson(json)) {
    throw new DdmProtocolError(`DDM ${endpoint}: the answer is not a JSON object`)
  }
  return json
}

/** `{Identifier, ServerToken}` items of one declaration-items list. */
function manifest(list: unknown): Map<string, string> {
  const items = new Map<string, string>()
  for (const item of Array.isArray(list) ? list : []) {
    if (isJson(item) && typeof item.Identifier === 'string') {
      items.set(item.Identifier, String(item.ServerToken ?? ''))
    }
  }
  return items
}

/**
 * The DeclarationsToken of a `tokens` answer (`{SyncTokens: {DeclarationsToken, Timestamp}}`)
 * or of a DeclarativeManagement command's Data (the SynchronizationTokens object itself).
 */
export function declarationsTokenOf(tokens: unknown): string {
  const sync = isJson(tokens) && isJson(tokens.SyncTokens) ? tokens.SyncTokens : tokens
  const token = isJson(sync) ? sync.DeclarationsToken : undefined
  if (typeof token !== 'string') {
    throw new DdmProtocolError('DDM tokens: no SyncTokens.DeclarationsToken')
  }
  return token
}

/**
 * The declarative side of a simulated device (Apple's protocol, reference §4.1–4.2). A sync asks
 * `tokens` (unless the DeclarativeManagement command carried them); when the DeclarationsToken
 * differs from the one applied, it reads `declaration-items`, fetches each configuration and
 * activation whose ServerToken it does not hold, drops what the items no longer list, applies
 * (a configuration is active only when an activation names it) and sends a `status` report: the
 * first one full, later ones only the items that changed.
 */
export class DdmClient {
  readonly configurations = new Map<string, HeldDeclaration>()
  readonly activations = new Map<string, HeldDeclaration>()
  /** Report every configuration invalid (Error.ConfigurationCannotBeApplied). */
  failConfigurations = false
  private appliedToken: string | undefined
  private readonly lastReported = new Map<string, string>()
  private fullReportSent = false

  constructor(private readonly facts: DeviceFacts) {}

  /** The DeclarationsToken applied by the last sync (undefined before the first). */
  get declarationsToken(): string | undefined {
    return this.appliedToken
  }

  async sync(send: DdmSend, commandTokens?: unknown): Promise<DdmSyncResult> {
    const token = declarationsTokenOf(commandTokens ?? (await getJson(send, 'tokens')))
    if (token === this.appliedToken && this.fullReportSent) {
      return { changed: false, fetched: 0, removed: 0, reported: 0 }
    }
    const items = await getJson(send, 'declaration-items')
    const declarations = isJson(items.Declarations) ? items.Declarations : {}
    let fetched = 0
    let removed = 0
    for (const [kind, held] of [
      ['configuration', this.configurations],
      ['activation', this.activations],
    ] as const) {
      const listed = manifest(
        kind === 'configuration' ? declarations.Configurations : declarations.Activations,
      )
      for (const id of [...held.keys()].filter((id) => !listed.has(id))) {
        held.delete(id)
        removed++
      }
      for (const [id, serverToken] of listed) {
        if (held.get(id)?.serverToken !== serverToken) {
          held.set(id, await this.fetchDeclaration(send, kind, id, serverToken))
          fetched++
        }
      }
    }
    this.appliedToken = String(items.DeclarationsToken ?? token)
    const reported = await this.report(send)
    return { changed: true, fetched, removed, reported }
  }

  /** Every held declaration's status now (what a full report would say). */
  statuses(): { configurations: DeclarationStatus[]; activations: DeclarationStatus[] } {
    return declarationStatuses(this)
  }

  private async fetchDeclaration(
    send: DdmSend,
    kind: 'configuration' | 'activation',
    id: string,
    listedToken: string,
  ): Promise<HeldDeclaration> {
    const json = await getJson(send, `declaration/${kind}/${id}`)
    if (typeof json.Type !== 'string' || json.Identifier !== id) {
      throw new DdmProtocolError(`DDM declaration/${kind}/${id}: no Type or another Identifier`)
    }
    return {
      identifier: id,
      serverToken: typeof json.ServerToken === 'string' ? json.ServerToken : listedToken,
      type: json.Type,
      payload: isJson(json.Payload) ? json.Payload : {},
    }
  }

  /** Sends the full report the first time, then the items whose status changed. */
  private async report(send: DdmSend): Promise<number> {
    const all = this.statuses()
    const full = !this.fullReportSent
    const changed = (list: DeclarationStatus[], kind: string): DeclarationStatus[] =>
      list.filter(
        (s) => full || this.lastReported.get(`${kind}:${s.identifier}`) !== JSON.stringify(s),
      )
    const items = {
      configurations: changed(all.configurations, 'configuration'),
      activations: changed(all.activations, 'activation'),
    }
    const body = JSON.stringify(statusReport(this.facts, items, full))
    const answer = await send('status', Buffer.from(body))
    if (answer.status !== 200) {
      throw new DdmProtocolError(`DDM status: HTTP ${answer.status} ${answer.body.slice(0, 200)}`)
    }
    this.fullReportSent = true
    this.lastReported.clear()
    for (const s of all.configurations) {
      this.lastReported.set(`configuration:${s.identifier}`, JSON.stringify(s))
    }
    for (const s of all.activations) {
      this.lastReported.set(`activation:${s.identifier}`, JSON.stringify(s))
    }
    return items.configurations.length + items.activations.length
  }
}
