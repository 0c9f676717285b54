/** How long to keep polling, and how often. */
export interface PollOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number
  /** Wait this long between tries (default 20 ms). */
  intervalMs?: number
}

/** A value `waitFor` keeps polling on: not there yet. */
type Pending = undefined | false

function isReady<T>(value: T | Pending): value is Exclude<T, Pending> {
  return value !== undefined && value !== false
}

/**
 * Polls `read` until it returns something other than `undefined` or `false`, and resolves with
 * that; rejects naming `what` (and `read`'s last error, if it threw) once `timeoutMs` has passed.
 * A throwing `read` counts as "not yet", so assertions can be polled too (see `eventually`).
 *
 * This is the one polling helper of the test suite: use it, never a fixed sleep, to wait for
 * something another process, timer or socket will make true.
 * @example const host = await waitFor('the host to enroll', () => findHost(db, uuid))
 */
export async function waitFor<T>(
  what: string,
  read: () => T | Pending | Promise<T | Pending>,
  options: PollOptions = {},
): Promise<Exclude<T, Pending>> {
  const { timeoutMs = 10_000, intervalMs = 20 } = options
  const deadline = Date.now() + timeoutMs
  for (;;) {
    let lastError: unknown
    try {
      const value = await read()
      if (isReady(value)) {
        return value
      }
    } catch (err) {
      lastError = err
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError })
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

/**
 * Retries `assertion` until it stops throwing; rethrows its last error after `timeoutMs`, so the
 * failure reads like the assertion's own.
 */
export async function eventually(
  assertion: () => void | Promise<void>,
  options: PollOptions = {},
): Promise<void> {
  let lastError: unknown
  try {
    await waitFor(
      'an assertion to pass',
      async () => {
        try {
          await assertion()
          return true
        } catch (err) {
          lastError = err
          return false
        }
      },
      options,
    )
  } catch (err) {
    throw lastError ?? err
  }
}
