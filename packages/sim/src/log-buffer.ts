/**
 * A host's unsent log lines (already serialised JSON), bounded like osquery's `buffered_log_max`:
 * when full, the oldest lines are dropped. Lines leave only when the server has taken them:
 * {@link LogBuffer.peek} what to send, then {@link LogBuffer.ack} on success. Sequence numbers
 * keep that right even if lines were dropped while the request was in flight.
 */
export class LogBuffer {
  private lines: string[] = []
  /** Sequence number of `lines[0]`. */
  private headSeq = 0
  private droppedTotal = 0

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`log buffer capacity must be a positive integer, got ${capacity}`)
    }
  }

  get size(): number {
    return this.lines.length
  }

  /** Lines dropped since the buffer was made. */
  get dropped(): number {
    return this.droppedTotal
  }

  /** Appends lines, dropping the oldest beyond capacity; returns how many were dropped. */
  push(...lines: string[]): number {
    this.lines.push(...lines)
    const excess = this.lines.length - this.capacity
    if (excess <= 0) {
      return 0
    }
    this.lines.splice(0, excess)
    this.headSeq += excess
    this.droppedTotal += excess
    return excess
  }

  /** Up to `max` of the oldest lines, and the token to {@link ack} once they are delivered. */
  peek(max: number): { lines: string[]; until: number } {
    const lines = this.lines.slice(0, Math.max(0, max))
    return { lines, until: this.headSeq + lines.length }
  }

  /** Removes the delivered lines (those before `until` that are still here). */
  ack(until: number): void {
    const count = Math.min(this.lines.length, until - this.headSeq)
    if (count > 0) {
      this.lines.splice(0, count)
      this.headSeq += count
    }
  }
}
