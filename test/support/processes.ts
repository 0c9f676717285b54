import type { ChildProcess } from 'node:child_process'

const running = new Set<ChildProcess>()

/**
 * Registers a process the test started so that `stopProcesses` (in the file's `afterEach` or
 * `afterAll`) kills it: a `finally` in the test body does not run when the test times out.
 * Returns `child`, so it can wrap the `spawn` call.
 */
export function stopAfterTest<T extends ChildProcess>(child: T): T {
  running.add(child)
  child.once('exit', () => running.delete(child))
  return child
}

/** SIGKILLs every registered process still running and waits for each to exit. */
export async function stopProcesses(): Promise<void> {
  const children = [...running]
  running.clear()
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        return
      }
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      child.kill('SIGKILL')
      await exited
    }),
  )
}
