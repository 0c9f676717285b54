import { pino } from 'pino'

/** A logger whose lines (parsed JSON) the test reads. */
export function capturingLogger(level = 'info') {
  const lines: Record<string, unknown>[] = []
  const log = pino(
    { level },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  )
  return { log, lines }
}
