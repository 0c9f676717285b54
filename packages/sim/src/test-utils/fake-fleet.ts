import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import {
  DistributedWriteRequest,
  LogRequest,
  OSQUERY_PATHS,
  OsqueryEnrollRequest,
} from '@fleet/api'

/** The enroll secret {@link FakeFleet} accepts. */
export const SECRET = 'sim-test-secret'
/** What every node key is asked once. */
export const QUERIES = {
  fleet_detail_query_os_version: 'SELECT * FROM os_version LIMIT 1',
  fleet_label_query_7: 'SELECT 1 FROM os_version WHERE platform = "darwin"',
}
export const CONFIG = {
  options: { pack_delimiter: '/', distributed_interval: 10, logger_tls_period: 10 },
  schedule: { uptime: { query: 'SELECT * FROM uptime', interval: 1 } },
}

/** Faults to inject, by 1-based request number. */
export interface FakeFleetFaults {
  /** This distributed/read answers `node_invalid` and forgets the node key. */
  invalidateRead?: number
  /** This log request answers 500. */
  failLog?: number
}

/**
 * Just enough of Fleet's osquery API, recording what arrives: enroll hands out `nk-<n>`, config
 * returns {@link CONFIG}, distributed/read returns {@link QUERIES} once per node key.
 */
export class FakeFleet {
  readonly enrolls: OsqueryEnrollRequest[] = []
  /** node key → the enroll body that got it (kept after the key is invalidated) */
  readonly keys = new Map<string, OsqueryEnrollRequest>()
  private readonly valid = new Set<string>()
  readonly requests: Record<string, number> = {}
  readonly usedKeys = new Set<string>()
  readonly queried = new Set<string>()
  readonly writes: Array<{ raw: unknown; parsed: DistributedWriteRequest }> = []
  readonly logs: LogRequest[] = []
  invalidatedKey: string | undefined
  /** The one log batch answered with a 500. */
  failedLog: LogRequest | undefined
  private reads = 0
  private logRequests = 0
  readonly server: Server

  constructor(private readonly faults: FakeFleetFaults = {}) {
    this.server = createServer((req, res) => {
      void this.handle(req, res)
    })
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    const address = this.server.address()
    if (address === null || typeof address === 'string') {
      throw new Error('not listening on TCP')
    }
    return `http://127.0.0.1:${address.port}`
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = ''
    for await (const chunk of req) {
      text += String(chunk)
    }
    const path = req.url ?? ''
    this.requests[path] = (this.requests[path] ?? 0) + 1
    const body: unknown = JSON.parse(text)
    const send = (status: number, json: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json))
    }
    if (path === OSQUERY_PATHS.enroll) {
      const enroll = OsqueryEnrollRequest.parse(body)
      this.enrolls.push(enroll)
      if (enroll.enroll_secret !== SECRET) {
        return send(401, { error: 'enroll failed', node_invalid: true })
      }
      const key = `nk-${this.enrolls.length}`
      this.keys.set(key, enroll)
      this.valid.add(key)
      return send(200, { node_key: key })
    }
    const nodeKey =
      typeof body === 'object' && body !== null && 'node_key' in body ? body.node_key : undefined
    if (typeof nodeKey !== 'string' || !this.valid.has(nodeKey)) {
      return send(401, { error: 'invalid node key', node_invalid: true })
    }
    this.usedKeys.add(nodeKey)
    switch (path) {
      case OSQUERY_PATHS.config:
        return send(200, CONFIG)
      case OSQUERY_PATHS.distributedRead:
        return this.read(nodeKey, send)
      case OSQUERY_PATHS.distributedWrite:
        this.writes.push({ raw: body, parsed: DistributedWriteRequest.parse(body) })
        return send(200, {})
      case OSQUERY_PATHS.log:
        if (++this.logRequests === this.faults.failLog) {
          this.failedLog = LogRequest.parse(body)
          return send(500, { error: 'log writer unavailable' })
        }
        this.logs.push(LogRequest.parse(body))
        return send(200, {})
      default:
        return send(404, { error: 'not found' })
    }
  }

  private read(nodeKey: string, send: (status: number, json: unknown) => void): void {
    if (++this.reads === this.faults.invalidateRead) {
      this.invalidatedKey = nodeKey
      this.valid.delete(nodeKey)
      return send(401, { error: `invalid node key: ${nodeKey}`, node_invalid: true })
    }
    if (this.queried.has(nodeKey)) {
      return send(200, { queries: {}, discovery: {} })
    }
    this.queried.add(nodeKey)
    const discovery = Object.fromEntries(Object.keys(QUERIES).map((name) => [name, 'SELECT 1']))
    return send(200, { queries: QUERIES, discovery })
  }
}
