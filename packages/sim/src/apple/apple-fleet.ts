import { Agent } from 'undici'
import { createRng, deriveSeed } from '../random.js'
import { Scheduler } from '../scheduler.js'
import type { ApnsAnswer } from './apns-server.js'
import { AppleStats, type AppleStatsSnapshot } from './apple-stats.js'
import { SimulatedAppleDevice, type DeviceAnswerMode } from './device.js'
import { KeyPool } from './key-pool.js'

/** A share of the devices that behaves a certain way (`--apple-answer-mode busy:0.1`). */
export interface AnswerShare {
  mode: DeviceAnswerMode | 'invalid-declarations'
  fraction: number
}

export interface AppleFleetOptions {
  serverUrl: string
  /** The `/api/mdm/apple/enroll?token=` token: an enroll secret. */
  enrollToken: string
  count: number
  /** Index of the first device: processes with offsets 0, N, 2N… and one seed simulate distinct Macs. */
  offset?: number
  seed: number
  ca?: string
  /** Keep-alive connections all devices share. */
  connections?: number
  /** Enrollments are spread evenly over this period. */
  startPeriodMs?: number
  /** Each enrolled device checks in (Idle) this often, ± 10%; 0 = only when pushed. */
  checkinIntervalMs?: number
  answerShares?: readonly AnswerShare[]
  /** The UDID and serial of device `index` when it is also an osquery host (else seeded). */
  hardware?: (index: number) => { udid: string; serial: string } | undefined
  /**
   * Devices share this many key pairs (each still gets its own certificate); 0 = a key per
   * device, as real Macs. RSA-2048 generation costs ~0.1–2 s of CPU, too much for 10,000 Macs.
   */
  keyPool?: number
  now?: () => number
}

interface Member {
  device: SimulatedAppleDevice
  running: boolean
  again: 'push' | 'periodic' | undefined
  /** When the earliest push not yet followed by a clean session arrived. */
  pushedAt: number | undefined
}

/**
 * Many simulated Macs in MDM: they enroll over the start period through one shared connection
 * pool, and each session (Idle, commands, the DDM sync a DeclarativeManagement command starts)
 * runs when the fake APNs routes a push to the device ({@link AppleFleet.push}) or at the
 * periodic check-in. One session per device at a time: a push arriving during one runs another
 * right after it, as a device drains its queue again.
 */
export class AppleFleet {
  readonly members: Member[]
  readonly stats: AppleStats
  private readonly byToken = new Map<string, Member>()
  private readonly dispatcher: Agent
  private readonly scheduler: Scheduler
  private readonly now: () => number
  private readonly keys: KeyPool | undefined

  constructor(private readonly options: AppleFleetOptions) {
    this.now = options.now ?? Date.now
    this.keys = options.keyPool ? new KeyPool(options.keyPool) : undefined
    this.dispatcher = new Agent({
      connections: options.connections ?? 64,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      connect: options.ca ? { ca: options.ca } : { rejectUnauthorized: false },
    })
    this.scheduler = new Scheduler({
      now: this.now,
      random: createRng(deriveSeed(options.seed, 'apple-scheduler')).next,
      onError: (err) => this.stats.error(`internal: ${String(err)}`),
    })
    this.stats = new AppleStats(options.count)
    this.members = Array.from({ length: options.count }, (_, i) => this.member(i))
    for (const m of this.members) {
      this.byToken.set(m.device.token.toString('hex'), m)
    }
  }

  private member(i: number): Member {
    const index = (this.options.offset ?? 0) + i
    const mode = shareOf(i, this.options.count, this.options.answerShares ?? [])
    const hardware = this.options.hardware?.(index)
    const device = new SimulatedAppleDevice({
      fleetUrl: this.options.serverUrl,
      enrollToken: this.options.enrollToken,
      seed: deriveSeed(this.options.seed, 'apple', index),
      dispatcher: this.dispatcher,
      answerMode: mode === 'invalid-declarations' ? 'acknowledge' : mode,
      failDeclarations: mode === 'invalid-declarations',
      ...(this.options.ca === undefined ? {} : { ca: this.options.ca }),
      ...(hardware && { hardware }),
      ...(this.keys && { keys: this.keys.forDevice(index) }),
    })
    return { device, running: false, again: undefined, pushedAt: undefined }
  }

  /** Schedules every enrollment over the start period (then each device's periodic check-in). */
  start(): void {
    const t0 = this.now()
    const spread = this.options.startPeriodMs ?? 0
    this.members.forEach((m, i) => {
      this.scheduler.at(t0 + (i * spread) / this.members.length, () => this.enroll(m, 1))
    })
  }

  /** Devices enrolled now. */
  enrolledCount(): number {
    return this.members.filter((m) => m.device.enrolled).length
  }

  /** Devices pushed that have not converged since. */
  waitingCount(): number {
    return this.members.filter((m) => m.pushedAt !== undefined).length
  }

  /** The fake APNs' router: wakes the device whose token this is (200), else 400 BadDeviceToken. */
  push(tokenHex: string, body: unknown): ApnsAnswer {
    const member = this.byToken.get(tokenHex)
    const magic = typeof body === 'object' && body !== null && 'mdm' in body ? body.mdm : undefined
    if (!member || !member.device.enrolled) {
      this.stats.push(false)
      return { status: 400, reason: 'BadDeviceToken' }
    }
    this.stats.push(true)
    // A device ignores a push whose PushMagic is not its own, as a real one does.
    if (magic === member.device.pushMagic) {
      member.pushedAt ??= this.now()
      void this.run(member, 'push')
    }
    return { status: 200 }
  }

  snapshot(): AppleStatsSnapshot {
    return this.stats.snapshot(this.waitingCount(), this.enrolledCount())
  }

  intervalSnapshot(): AppleStatsSnapshot {
    return this.stats.takeInterval(this.waitingCount(), this.enrolledCount())
  }

  /** Stops scheduling, waits briefly for sessions in flight, closes the pool. */
  async stop(): Promise<AppleStatsSnapshot> {
    this.scheduler.stop()
    const drained = await this.scheduler.drain(5000)
    await (drained ? this.dispatcher.close() : this.dispatcher.destroy())
    return this.snapshot()
  }

  private async enroll(m: Member, attempt: number): Promise<void> {
    try {
      await m.device.enroll()
      this.stats.enrolled()
    } catch (err) {
      this.stats.enrollFailed(message(err))
      const delay = Math.min(60_000, 2000 * 2 ** (attempt - 1))
      this.scheduler.at(this.now() + delay, () => this.enroll(m, attempt + 1))
      return
    }
    const interval = this.options.checkinIntervalMs ?? 0
    if (interval > 0) {
      this.scheduler.repeat(interval, interval, 0.1, () => this.run(m, 'periodic'))
    }
  }

  /** One session, then another if a push came meanwhile. Never throws. */
  private async run(m: Member, trigger: 'push' | 'periodic'): Promise<void> {
    if (m.running) {
      m.again = m.again === 'push' || trigger === 'push' ? 'push' : 'periodic'
      return
    }
    m.running = true
    try {
      for (let next: typeof m.again = trigger; next !== undefined; next = m.again) {
        m.again = undefined
        await this.session(m, next)
      }
    } finally {
      m.running = false
    }
  }

  private async session(m: Member, trigger: 'push' | 'periodic'): Promise<void> {
    let clean = false
    try {
      const result = await m.device.session()
      this.stats.session(trigger, result.handled, result.statuses)
      if (result.ddm) {
        this.stats.ddmSync(result.ddm.changed, result.ddm.fetched, result.ddm.changed)
      }
      clean = !result.statuses.includes('NotNow')
    } catch (err) {
      this.stats.error(`${m.device.facts.serial}: ${message(err)}`)
    }
    if (clean && m.pushedAt !== undefined) {
      this.stats.converged(this.now() - m.pushedAt)
      m.pushedAt = undefined
    }
  }
}

/** Device `i` of `count` gets the share its position falls in (exact counts, in order). */
export function shareOf(
  i: number,
  count: number,
  shares: readonly AnswerShare[],
): AnswerShare['mode'] {
  let upTo = 0
  for (const share of shares) {
    upTo += share.fraction
    if (i < Math.round(upTo * count)) {
      return share.mode
    }
  }
  return 'acknowledge'
}

/**
 * Parses `busy:0.1,error:0.05` (modes `busy`, `not-now`, `error`, `command-format-error`,
 * `invalid-declarations`; fractions that add up to at most 1).
 */
export function parseAnswerShares(spec: string): AnswerShare[] {
  const modes = ['busy', 'not-now', 'error', 'command-format-error', 'invalid-declarations']
  const shares: AnswerShare[] = []
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const [mode = '', fractionText = ''] = part.split(':')
    const fraction = Number(fractionText)
    const known = modes.find((m): m is AnswerShare['mode'] => m === mode)
    if (!known || fractionText.trim() === '' || !(fraction >= 0 && fraction <= 1)) {
      throw new Error(
        `invalid answer mode "${part}": expected <${modes.join('|')}>:<fraction 0..1>`,
      )
    }
    shares.push({ mode: known, fraction })
  }
  if (shares.reduce((sum, s) => sum + s.fraction, 0) > 1 + 1e-9) {
    throw new Error('the answer mode fractions add up to more than 1')
  }
  return shares
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
