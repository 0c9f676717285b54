/**
 * Where osquery logs go: a file, stdout, a webhook, later Kafka or Kinesis. A destination only
 * delivers; buffering, batching and counting what is lost happen in front of it (BufferedLogSink).
 */
export interface LogDestination {
  /** For log lines: `filesystem`, `stdout`, `webhook`, … */
  readonly kind: string
  /**
   * Delivers lines, each one JSON document without a newline. Resolves once they are delivered;
   * rejects when they can't be (after the destination's own retries), and then they are lost.
   * Never called again before the previous call settled.
   */
  write(lines: readonly string[]): Promise<void>
  /** Checks at start that lines can be delivered at all (a file that can't be opened). */
  check?(): Promise<void>
  /** Releases files or connections; `write` is not called afterwards. */
  close(): Promise<void>
}
