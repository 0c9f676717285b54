import { OsqueryEnrollRequest, OsqueryEnrollResponse, type ResultRow } from '@fleet/api'
import { answerQueries, type AnswerSource } from './answer.js'
import { anyObject, distributedRead } from './body-parsers.js'
import type { HostIdentity } from './host-identity.js'
import { LogBuffer } from './log-buffer.js'
import type { SimulationConfig } from './options.js'
import { renderRows, type OsTemplate, type PlatformFamily } from './os-template.js'
import { resultLogLine, statusLogLines, type LogSource } from './osquery-logs.js'
import { personalizeEnroll, personalizeRows } from './personalize.js'
import { createRng, deriveSeed, type Rng } from './random.js'
import { dueQueries, type ScheduledQuery } from './schedule.js'
import type { Scheduler } from './scheduler.js'
import type { SimStats } from './stats.js'
import { templateData, type TemplateEnv } from './template-data.js'
import type { Transport } from './transport.js'

/** What all hosts of a simulation share. */
export interface HostContext {
  config: SimulationConfig
  env: TemplateEnv
  transport: Transport
  stats: SimStats
  scheduler: Scheduler
  /** Parsed schedules shared between hosts with the same config text. */
  schedules: (configText: string, config: unknown, family: PlatformFamily) => ScheduledQuery[]
  now: () => number
  /** Result log lines the server acknowledged, as they were sent (see `SimulationHooks`). */
  onResultLinesDelivered?: (lines: readonly string[]) => void
}

const enrollResponse = (json: unknown) => {
  const parsed = OsqueryEnrollResponse.safeParse(json)
  return parsed.success ? parsed.data : undefined
}
const MAX_ENROLL_BACKOFF_MS = 60_000

/**
 * One simulated osquery host: enrolls, then runs osquery's three loops (config, distributed,
 * logger) on the shared scheduler. It re-enrolls whenever an answer says `node_invalid`.
 */
export class SimHost {
  private nodeKey: string | undefined
  private enrolling: Promise<string | undefined> | undefined
  private enrollRetryAtMs = 0
  private enrollFailures = 0
  private invalidated = false
  private hostIdentifier: string
  private schedule: readonly ScheduledQuery[] = []
  private lastLoggerTickMs: number
  private loggerTicks = 0
  private statusLogs: LogBuffer | undefined
  private resultLogs: LogBuffer | undefined
  private readonly rng: Rng

  constructor(
    readonly identity: HostIdentity,
    readonly template: OsTemplate,
    private readonly ctx: HostContext,
  ) {
    this.rng = createRng(deriveSeed(identity.seed, 'behaviour'))
    this.hostIdentifier = identity.hostname
    this.lastLoggerTickMs = ctx.now()
  }

  get enrolled(): boolean {
    return this.nodeKey !== undefined
  }

  /** What osquery does at start: enroll, fetch config, check in; then the loops begin. */
  async boot(): Promise<void> {
    const { config, scheduler } = this.ctx
    this.lastLoggerTickMs = this.ctx.now()
    if ((await this.ensureEnrolled()) !== undefined) {
      await this.configTick()
      await this.distributedTick()
    }
    const first = (interval: number): number => interval * this.rng.next()
    const jitter = config.jitter
    scheduler.repeat(first(config.configIntervalMs), config.configIntervalMs, jitter, () =>
      this.configTick(),
    )
    scheduler.repeat(first(config.queryIntervalMs), config.queryIntervalMs, jitter, () =>
      this.distributedTick(),
    )
    scheduler.repeat(first(config.loggerIntervalMs), config.loggerIntervalMs, jitter, () =>
      this.loggerTick(),
    )
  }

  async configTick(): Promise<void> {
    const key = await this.ensureEnrolled()
    if (key === undefined) {
      return
    }
    const res = await this.ctx.transport.call('config', nodeKeyBody(key), anyObject)
    if (res.kind === 'node-invalid') {
      this.nodeInvalid(key)
    } else if (res.kind === 'ok') {
      this.schedule = this.ctx.schedules(res.text, res.body, this.template.family)
    }
  }

  async distributedTick(): Promise<void> {
    const key = await this.ensureEnrolled()
    if (key === undefined) {
      return
    }
    const { transport, stats } = this.ctx
    const read = await transport.call('distributed_read', nodeKeyBody(key), distributedRead)
    if (read.kind === 'node-invalid') {
      this.nodeInvalid(key)
      return
    }
    if (read.kind !== 'ok' || Object.keys(read.body.queries).length === 0) {
      return
    }
    const answers = answerQueries(read.body.queries, this.answerSource())
    stats.queriesAnswered(Object.keys(answers.statuses).length)
    const body = JSON.stringify({ node_key: key, ...answers })
    const write = await transport.call('distributed_write', body, anyObject)
    if (write.kind === 'node-invalid') {
      this.nodeInvalid(key)
    }
  }

  /** Buffers this period's status and result logs, then sends what the buffers hold. */
  async loggerTick(): Promise<void> {
    const now = this.ctx.now()
    const ran = dueQueries(this.schedule, this.identity.bootTimeMs, this.lastLoggerTickMs, now)
    this.lastLoggerTickMs = now
    const source = this.logSource()
    const { config, stats } = this.ctx
    this.statusLogs ??= new LogBuffer(config.logBufferMax)
    stats.logsDropped(this.statusLogs.push(...statusLogLines(source, now, this.loggerTicks, ran)))
    if (ran.length > 0) {
      this.resultLogs ??= new LogBuffer(config.logBufferMax)
      const lines = ran.map((q) =>
        resultLogLine(source, q, this.sampleRows(q.name), now, this.loggerTicks),
      )
      stats.logsDropped(this.resultLogs.push(...lines))
    }
    this.loggerTicks++
    const key = await this.ensureEnrolled()
    if (key === undefined) {
      return
    }
    if ((await this.flush(key, 'status', this.statusLogs)) && this.resultLogs !== undefined) {
      await this.flush(key, 'result', this.resultLogs)
    }
  }

  /** Sends one batch; false when the server did not take it (the lines stay buffered). */
  private async flush(key: string, type: 'status' | 'result', buffer: LogBuffer): Promise<boolean> {
    const { lines, until } = buffer.peek(this.ctx.config.logBatchMax)
    if (lines.length === 0) {
      return true
    }
    const body = `{"node_key":${JSON.stringify(key)},"log_type":"${type}","data":[${lines.join(',')}]}`
    const res = await this.ctx.transport.call('log', body, anyObject)
    if (res.kind === 'ok') {
      buffer.ack(until)
      if (type === 'result') {
        this.ctx.stats.resultLinesDelivered(lines.length)
        this.ctx.onResultLinesDelivered?.(lines)
      }
      return true
    }
    if (res.kind === 'node-invalid') {
      this.nodeInvalid(key)
    }
    return false
  }

  /** The node key, enrolling first if needed; undefined while enrollment fails (with back-off). */
  private ensureEnrolled(): Promise<string | undefined> {
    if (this.nodeKey !== undefined) {
      return Promise.resolve(this.nodeKey)
    }
    if (this.ctx.now() < this.enrollRetryAtMs) {
      this.ctx.stats.enrollWaited()
      return Promise.resolve(undefined)
    }
    this.enrolling ??= this.enroll().finally(() => {
      this.enrolling = undefined
    })
    return this.enrolling
  }

  private async enroll(): Promise<string | undefined> {
    const { stats, transport } = this.ctx
    const res = await transport.call('enroll', this.enrollBody(), enrollResponse)
    if (res.kind !== 'ok' || res.body.node_key === '') {
      this.enrollFailures++
      const backoff = Math.min(MAX_ENROLL_BACKOFF_MS, 1000 * 2 ** this.enrollFailures)
      this.enrollRetryAtMs = this.ctx.now() + backoff * (0.5 + this.rng.next())
      return undefined
    }
    this.enrollFailures = 0
    this.nodeKey = res.body.node_key
    stats.enrolled(1)
    if (this.invalidated) {
      this.invalidated = false
      stats.reenrolled()
    }
    return this.nodeKey
  }

  private enrollBody(): string {
    const data = templateData(this.identity, this.ctx.env, this.ctx.now())
    const body = OsqueryEnrollRequest.parse(JSON.parse(this.template.render('enroll', data)))
    personalizeEnroll(body, this.identity)
    this.hostIdentifier = body.host_identifier
    return JSON.stringify(body)
  }

  /** The server no longer knows `key`: forget it and enroll again right away. */
  private nodeInvalid(key: string): void {
    if (this.nodeKey !== key) {
      return
    }
    this.nodeKey = undefined
    this.invalidated = true
    this.ctx.stats.enrolled(-1)
    this.ctx.scheduler.at(this.ctx.now(), async () => {
      await this.ensureEnrolled()
    })
  }

  private answerSource(): AnswerSource {
    const now = this.ctx.now()
    return {
      templateRows: (name) => {
        if (!this.template.has(name)) {
          return undefined
        }
        const rows = renderRows(this.template, name, templateData(this.identity, this.ctx.env, now))
        return personalizeRows(name, rows, this.identity, now)
      },
      random: () => this.rng.next(),
      policyPassProb: this.ctx.config.policyPassProb,
      sampleRows: (name) => this.sampleRows(name),
    }
  }

  /** One to three rows for a live or scheduled query, distinct per host. */
  private sampleRows(name: string): ResultRow[] {
    const count = 1 + this.rng.int(3)
    return Array.from({ length: count }, (_, i) => ({
      hostname: this.identity.hostname,
      uuid: this.identity.uuid,
      query: name,
      row: String(i + 1),
    }))
  }

  private logSource(): LogSource {
    return {
      hostIdentifier: this.hostIdentifier,
      uuid: this.identity.uuid,
      hostname: this.identity.hostname,
      osqueryVersion: '5.12.1',
    }
  }
}

function nodeKeyBody(key: string): string {
  return JSON.stringify({ node_key: key })
}
