import { Histogram } from './histogram.js'

/** The osquery endpoints a simulated host calls. */
export const ENDPOINTS = [
  'enroll',
  'config',
  'distributed_read',
  'distributed_write',
  'log',
] as const
export type Endpoint = (typeof ENDPOINTS)[number]

/**
 * How a request ended. `node_invalid` is any answer carrying `"node_invalid": true` (whatever its
 * status); `http_error` is any other non-2xx; `bad_response` a 2xx whose body is not what the
 * osquery API promises.
 */
export type Outcome = 'ok' | 'http_error' | 'network_error' | 'node_invalid' | 'bad_response'

/** One endpoint's numbers over a window (an interval or the whole run). */
export interface EndpointStats {
  requests: number
  perSecond: number
  ok: number
  httpErrors: number
  networkErrors: number
  nodeInvalid: number
  badResponses: number
  /** Client-side latency, from the call to the whole body read, including pool queueing. */
  p50Ms: number
  p99Ms: number
  maxMs: number
}

/** Everything the simulator reports, for one interval or the run so far. */
export interface StatsSnapshot {
  kind: 'interval' | 'total'
  /** Seconds since the simulation started. */
  elapsedS: number
  /** Length of the window these numbers cover. */
  windowS: number
  hosts: number
  enrolled: number
  /** Hosts that enrolled again after a `node_invalid` answer. */
  reenrolls: number
  /** Loop runs that sent nothing because their host waits out an enrollment back-off. */
  enrollWaits: number
  /** Log lines dropped because a host's buffer was full. */
  logsDropped: number
  /** Queries answered in distributed/write bodies. */
  queriesAnswered: number
  /** Result log lines the server accepted (a 200 to the log post that carried them). */
  resultLinesDelivered: number
  /** Bugs: exceptions a host's task did not handle (should stay 0). */
  internalErrors: number
  /** The latest failed request in the window: `<endpoint>: <what went wrong>`, cut short. */
  lastError: string | undefined
  endpoints: Record<Endpoint, EndpointStats>
  /** All endpoints together. */
  all: EndpointStats
}

/** A record with one entry per endpoint, spelled out so the type needs no cast. */
export function perEndpoint<T>(value: (endpoint: Endpoint) => T): Record<Endpoint, T> {
  return {
    enroll: value('enroll'),
    config: value('config'),
    distributed_read: value('distributed_read'),
    distributed_write: value('distributed_write'),
    log: value('log'),
  }
}

class Counters {
  requests = 0
  ok = 0
  httpErrors = 0
  networkErrors = 0
  nodeInvalid = 0
  badResponses = 0
  readonly latencyUs = new Histogram()

  record(outcome: Outcome, latencyUs: number): void {
    this.requests++
    this.latencyUs.record(latencyUs)
    switch (outcome) {
      case 'ok':
        this.ok++
        return
      case 'http_error':
        this.httpErrors++
        return
      case 'network_error':
        this.networkErrors++
        return
      case 'node_invalid':
        this.nodeInvalid++
        return
      case 'bad_response':
        this.badResponses++
        return
    }
  }

  add(other: Counters): void {
    this.requests += other.requests
    this.ok += other.ok
    this.httpErrors += other.httpErrors
    this.networkErrors += other.networkErrors
    this.nodeInvalid += other.nodeInvalid
    this.badResponses += other.badResponses
    this.latencyUs.add(other.latencyUs)
  }

  view(windowS: number): EndpointStats {
    return {
      requests: this.requests,
      perSecond: windowS > 0 ? this.requests / windowS : 0,
      ok: this.ok,
      httpErrors: this.httpErrors,
      networkErrors: this.networkErrors,
      nodeInvalid: this.nodeInvalid,
      badResponses: this.badResponses,
      p50Ms: this.latencyUs.percentile(50) / 1000,
      p99Ms: this.latencyUs.percentile(99) / 1000,
      maxMs: this.latencyUs.max / 1000,
    }
  }
}

class Window {
  readonly endpoints = perEndpoint(() => new Counters())
  reenrolls = 0
  enrollWaits = 0
  logsDropped = 0
  queriesAnswered = 0
  resultLinesDelivered = 0
  internalErrors = 0
  lastError: string | undefined

  counters(endpoint: Endpoint): Counters {
    return this.endpoints[endpoint]
  }
}

/**
 * Counters and latency histograms, kept twice: for the current interval (reset by
 * {@link SimStats.takeInterval}) and for the whole run. Memory does not grow with samples.
 */
export class SimStats {
  private interval = new Window()
  private total = new Window()
  private intervalStartMs: number
  private enrolledHosts = 0

  constructor(
    private readonly hosts: number,
    private startMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.intervalStartMs = startMs
  }

  /** Forgets everything and starts counting from `startMs`. */
  reset(startMs: number): void {
    this.interval = new Window()
    this.total = new Window()
    this.startMs = startMs
    this.intervalStartMs = startMs
    this.enrolledHosts = 0
  }

  /** Counts one request; `detail` says what went wrong when it failed. */
  record(endpoint: Endpoint, outcome: Outcome, latencyUs: number, detail?: string): void {
    this.interval.counters(endpoint).record(outcome, latencyUs)
    this.total.counters(endpoint).record(outcome, latencyUs)
    if (detail !== undefined) {
      const lastError = `${endpoint}: ${detail.slice(0, 200)}`
      this.interval.lastError = lastError
      this.total.lastError = lastError
    }
  }

  enrolled(delta: 1 | -1): void {
    this.enrolledHosts += delta
  }

  reenrolled(): void {
    this.interval.reenrolls++
    this.total.reenrolls++
  }

  enrollWaited(): void {
    this.interval.enrollWaits++
    this.total.enrollWaits++
  }

  logsDropped(count: number): void {
    this.interval.logsDropped += count
    this.total.logsDropped += count
  }

  queriesAnswered(count: number): void {
    this.interval.queriesAnswered += count
    this.total.queriesAnswered += count
  }

  resultLinesDelivered(count: number): void {
    this.interval.resultLinesDelivered += count
    this.total.resultLinesDelivered += count
  }

  internalError(): void {
    this.interval.internalErrors++
    this.total.internalErrors++
  }

  /** The run so far. */
  snapshot(): StatsSnapshot {
    const now = this.now()
    return this.view('total', this.total, now, now - this.startMs)
  }

  /** The interval since the previous call (or the start), then starts a new one. */
  takeInterval(): StatsSnapshot {
    const now = this.now()
    const view = this.view('interval', this.interval, now, now - this.intervalStartMs)
    this.interval = new Window()
    this.intervalStartMs = now
    return view
  }

  private view(
    kind: StatsSnapshot['kind'],
    w: Window,
    now: number,
    windowMs: number,
  ): StatsSnapshot {
    const windowS = Math.max(0, windowMs) / 1000
    const all = new Counters()
    for (const endpoint of ENDPOINTS) {
      all.add(w.counters(endpoint))
    }
    const endpoints = perEndpoint((e) => w.counters(e).view(windowS))
    return {
      kind,
      elapsedS: (now - this.startMs) / 1000,
      windowS,
      hosts: this.hosts,
      enrolled: this.enrolledHosts,
      reenrolls: w.reenrolls,
      enrollWaits: w.enrollWaits,
      logsDropped: w.logsDropped,
      queriesAnswered: w.queriesAnswered,
      resultLinesDelivered: w.resultLinesDelivered,
      internalErrors: w.internalErrors,
      lastError: w.lastError,
      endpoints,
      all: all.view(windowS),
    }
  }
}
