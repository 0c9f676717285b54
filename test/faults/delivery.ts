/**
 * How fault scenarios judge result delivery: what the agents were told was kept against what
 * the server's result log holds. Pure, so it has unit tests of its own.
 */

/** An object's own fields, or none for anything that is not an object. */
export function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null
    ? Object.fromEntries(Object.entries(value))
    : {}
}

/** What identifies one result line: host, query, time and counter (osquery's epoch counter). */
export function resultKey(line: string): { key: string; host: string; unixTime: number } {
  const entry = record(JSON.parse(line))
  return {
    host: String(entry.hostIdentifier),
    key: `${String(entry.hostIdentifier)}|${String(entry.name)}|${String(entry.unixTime)}|${String(entry.counter)}`,
    unixTime: Number(entry.unixTime),
  }
}

/**
 * Result lines in a log file: all, distinct (host, query, time, counter), and the `unixTime` of
 * every line that repeats one already counted.
 */
export function resultLines(text: string, ignoreHost?: string) {
  const keys = new Set<string>()
  const repeatedTimes: number[] = []
  let lines = 0
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      continue
    }
    const { key, host, unixTime } = resultKey(line)
    if (host === ignoreHost) {
      continue
    }
    lines++
    if (keys.has(key)) {
      repeatedTimes.push(unixTime)
    }
    keys.add(key)
  }
  return { lines, distinct: keys.size, duplicates: lines - keys.size, repeatedTimes, keys }
}

/**
 * How the delivered results must show up in the result log. Delivery is at-least-once (as in
 * Fleet: README.md): a line is never lost, and it is logged twice only when the server was
 * killed between writing a batch and answering it, so osquery sent the batch again. Pass the
 * kill's time to allow exactly those repeats (lines made before the kill); without it, any
 * repeat fails the scenario.
 */
export interface DeliveryCheck {
  /** Unix seconds at which a server got SIGKILL, if one did. */
  killedAt?: number
  /** A host of the scenario's own whose lines are not the agents' (left out of the count). */
  ignoreHost?: string
}

export type ResultLines = ReturnType<typeof resultLines>

/**
 * The verdict on delivered vs logged result lines (see {@link DeliveryCheck}), line by line: a
 * delivered line missing from the log is lost even when other lines (written, but not answered
 * before a kill, so never acknowledged) bring the log's count up to the delivered count.
 */
export function judgeDelivery(delivered: ResultLines, logged: ResultLines, check: DeliveryCheck) {
  const lost = [...delivered.keys].filter((key) => !logged.keys.has(key)).length
  const unacknowledged = [...logged.keys].filter((key) => !delivered.keys.has(key)).length
  const killedAt = check.killedAt
  // A resend across the kill repeats lines made before it; any other repeat is a bug.
  const unexplained =
    killedAt === undefined
      ? logged.duplicates
      : logged.repeatedTimes.filter((time) => !(time <= killedAt)).length
  return {
    pass: delivered.distinct > 0 && lost === 0 && unexplained === 0,
    numbers: {
      results_delivered: delivered.distinct,
      results_logged: logged.distinct,
      results_lost: lost,
      results_logged_unacknowledged: unacknowledged,
      results_duplicated: logged.duplicates,
      ...(killedAt !== undefined && { results_duplicated_not_from_kill_resend: unexplained }),
    },
  }
}
