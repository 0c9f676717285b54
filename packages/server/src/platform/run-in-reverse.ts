/**
 * Runs `run` on every step, last first (the order things are released in), even when some throw:
 * each failure goes to `onError` and the failures are returned, so one bad release never skips
 * the rest.
 */
export async function runInReverse<T>(
  steps: readonly T[],
  run: (step: T) => Promise<void>,
  onError: (step: T, err: unknown) => void,
): Promise<unknown[]> {
  const errors: unknown[] = []
  for (const step of [...steps].reverse()) {
    try {
      await run(step)
    } catch (err) {
      onError(step, err)
      errors.push(err)
    }
  }
  return errors
}
