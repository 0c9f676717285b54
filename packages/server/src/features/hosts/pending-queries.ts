/**
 * Query names handed to each host by this instance and not yet answered. An answer to one of them
 * is taken even when its refresh is no longer due by the timestamps (the host took a while).
 */
export class PendingQueries {
  readonly #byHost = new Map<number, Set<string>>()

  /** Remembers names handed to a host. */
  add(hostId: number, names: readonly string[]): void {
    if (names.length === 0) {
      return
    }
    const sent = this.#byHost.get(hostId) ?? new Set()
    for (const name of names) {
      sent.add(name)
    }
    this.#byHost.set(hostId, sent)
  }

  has(hostId: number, name: string): boolean {
    return this.#byHost.get(hostId)?.has(name) === true
  }

  /** Marks names answered; a host with nothing outstanding is dropped. */
  answered(hostId: number, names: readonly string[]): void {
    const sent = this.#byHost.get(hostId)
    if (!sent) {
      return
    }
    for (const name of names) {
      sent.delete(name)
    }
    if (sent.size === 0) {
      this.#byHost.delete(hostId)
    }
  }

  /** Forgets a host (it enrolled again). */
  forget(hostId: number): void {
    this.#byHost.delete(hostId)
  }
}
