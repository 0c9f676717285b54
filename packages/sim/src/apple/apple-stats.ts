import { Histogram } from '../histogram.js'

/** The MDM numbers of simulated Apple devices, for one interval or the run so far. */
export interface AppleStatsSnapshot {
  devices: number
  enrolled: number
  enrollFailures: number
  /** Pushes the fake APNs routed to a device, and those naming no known device. */
  pushes: number
  unknownPushes: number
  /** Sessions (Idle and the commands that follow) started by a push or by the periodic check. */
  sessions: { push: number; periodic: number }
  /** Answers sent, by RequestType and by Status. */
  commands: Record<string, number>
  statuses: Record<string, number>
  /** DDM syncs run, declarations fetched, status reports sent. */
  ddm: { syncs: number; unchanged: number; fetched: number; reports: number }
  /** Failed requests or protocol errors (non-200, network, DDM); the latest one. */
  errors: number
  lastError: string | undefined
  /**
   * Push → the device holding all it was told to have: from a push to the end of the first
   * session after it that left nothing waiting (no NotNow, no failure, DDM synced), in ms.
   * `waiting` = devices pushed and not converged yet.
   */
  convergence: { count: number; p50Ms: number; p99Ms: number; maxMs: number; waiting: number }
}

function add(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1
}

class Window {
  pushes = 0
  unknownPushes = 0
  enrolled = 0
  enrollFailures = 0
  sessions = { push: 0, periodic: 0 }
  commands: Record<string, number> = {}
  statuses: Record<string, number> = {}
  ddm = { syncs: 0, unchanged: 0, fetched: 0, reports: 0 }
  errors = 0
  lastError: string | undefined
  readonly convergence = new Histogram()
}

/** Counters kept per interval and for the whole run (as the osquery side's SimStats). */
export class AppleStats {
  private total = new Window()
  private interval = new Window()

  constructor(private readonly devices: number) {}

  private both(update: (w: Window) => void): void {
    update(this.total)
    update(this.interval)
  }

  enrolled(): void {
    this.both((w) => w.enrolled++)
  }

  enrollFailed(message: string): void {
    this.both((w) => {
      w.enrollFailures++
      w.lastError = `enroll: ${message}`
    })
  }

  push(known: boolean): void {
    this.both((w) => (known ? w.pushes++ : w.unknownPushes++))
  }

  session(
    trigger: 'push' | 'periodic',
    handled: readonly string[],
    statuses: readonly string[],
  ): void {
    this.both((w) => {
      w.sessions[trigger]++
      handled.forEach((t) => add(w.commands, t))
      statuses.forEach((s) => add(w.statuses, s))
    })
  }

  ddmSync(changed: boolean, fetched: number, reported: boolean): void {
    this.both((w) => {
      w.ddm.syncs++
      w.ddm.unchanged += changed ? 0 : 1
      w.ddm.fetched += fetched
      w.ddm.reports += reported ? 1 : 0
    })
  }

  error(message: string): void {
    this.both((w) => {
      w.errors++
      w.lastError = message.slice(0, 300)
    })
  }

  converged(ms: number): void {
    this.both((w) => w.convergence.record(Math.max(1, Math.round(ms))))
  }

  snapshot(waiting: number, enrolledNow: number): AppleStatsSnapshot {
    return this.view(this.total, waiting, enrolledNow)
  }

  /** The numbers since the previous call, and a new interval. */
  takeInterval(waiting: number, enrolledNow: number): AppleStatsSnapshot {
    const out = this.view(this.interval, waiting, enrolledNow)
    this.interval = new Window()
    return out
  }

  private view(w: Window, waiting: number, enrolledNow: number): AppleStatsSnapshot {
    const h = w.convergence
    return {
      devices: this.devices,
      enrolled: enrolledNow,
      enrollFailures: w.enrollFailures,
      pushes: w.pushes,
      unknownPushes: w.unknownPushes,
      sessions: { ...w.sessions },
      commands: { ...w.commands },
      statuses: { ...w.statuses },
      ddm: { ...w.ddm },
      errors: w.errors,
      lastError: w.lastError,
      convergence: {
        count: h.count,
        p50Ms: h.count > 0 ? h.percentile(50) : 0,
        p99Ms: h.count > 0 ? h.percentile(99) : 0,
        maxMs: h.count > 0 ? h.max : 0,
        waiting,
      },
    }
  }
}

/** One line for the text report: `mdm enrolled 20/20 · pushes 40 · sessions … · converged …`. */
export function formatAppleText(s: AppleStatsSnapshot): string {
  const list = (m: Record<string, number>) =>
    Object.entries(m)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none'
  const c = s.convergence
  return (
    `mdm enrolled ${s.enrolled}/${s.devices} (failures ${s.enrollFailures})` +
    ` · pushes ${s.pushes} (unknown ${s.unknownPushes})` +
    ` · sessions push ${s.sessions.push} periodic ${s.sessions.periodic}` +
    ` · ddm syncs ${s.ddm.syncs} fetched ${s.ddm.fetched} reports ${s.ddm.reports}` +
    ` · errors ${s.errors}\n` +
    `mdm commands: ${list(s.commands)} · statuses: ${list(s.statuses)}\n` +
    `mdm convergence: ${c.count} converged, p50 ${c.p50Ms} ms, p99 ${c.p99Ms} ms, max ${c.maxMs} ms,` +
    ` ${c.waiting} waiting` +
    (s.lastError === undefined ? '' : `\nmdm last error: ${s.lastError}`) +
    '\n'
  )
}
