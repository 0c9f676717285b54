/** How retries space out: exponential from `baseMs`, capped at `maxMs`, with random jitter. */
export interface BackoffPolicy {
  baseMs: number
  maxMs: number
  /** Growth per failure; 2 doubles. */
  factor?: number
  /** Fraction of the delay that is random (0 = none, 0.5 = between half and all of it). */
  jitter?: number
}

/**
 * The wait before retry number `attempt` (0 = after the first failure). Jitter spreads hosts that
 * failed together (a server restart) so they do not all come back in the same second.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const factor = policy.factor ?? 2
  const jitter = Math.min(Math.max(policy.jitter ?? 0.5, 0), 1)
  const exponential = policy.baseMs * Math.pow(factor, Math.max(0, attempt))
  const capped = Math.min(policy.maxMs, exponential)
  return Math.round(capped * (1 - jitter * random()))
}

/** Counts consecutive failures and says how long to wait before the next try. */
export class Backoff {
  private failures = 0

  constructor(
    private readonly policy: () => BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  /** Records a failure and returns the delay before the next attempt. */
  fail(): number {
    const delay = backoffDelay(this.failures, this.policy(), this.random)
    this.failures++
    return delay
  }

  /** Records a success: the next failure starts from the base delay again. */
  reset(): void {
    this.failures = 0
  }

  get consecutiveFailures(): number {
    return this.failures
  }
}

/** Waits `ms`, or less when `signal` aborts; never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) {
    return Promise.resolve()
  }
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}
