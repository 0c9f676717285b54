import type { StateDb } from './state-store.js'

/** osquery's two log types on the TLS logger endpoint. */
export type LogKind = 'result' | 'status'

/** One buffered line, oldest first by `id`. */
export interface BufferedLine {
  id: number
  kind: LogKind
  line: string
}

/** Bounds on the buffer; 0 means unlimited (osquery's buffered_log_max semantics). */
export interface LogBufferLimits {
  maxLines: number
  maxBytes: number
}

function isBufferedRow(row: unknown): row is { id: number; kind: string; line: string } {
  return (
    typeof row === 'object' &&
    row !== null &&
    'id' in row &&
    typeof row.id === 'number' &&
    'kind' in row &&
    typeof row.kind === 'string' &&
    'line' in row &&
    typeof row.line === 'string'
  )
}

/**
 * The on-disk queue of log lines waiting for the TLS logger (osquery keeps these in RocksDB).
 * Lines survive restarts; when a bound is exceeded the oldest lines, of either kind, are
 * dropped and `append` reports how many so the caller can log a warning.
 */
export class LogBuffer {
  private lines = 0
  private bytes = 0

  constructor(
    private readonly db: StateDb,
    private readonly limits: () => LogBufferLimits,
  ) {
    const row: unknown = db
      .prepare('SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b FROM log_buffer')
      .get()
    if (typeof row === 'object' && row !== null && 'n' in row && 'b' in row) {
      this.lines = Number(row.n)
      this.bytes = Number(row.b)
    }
  }

  /** Appends lines in order; returns how many old lines were purged to stay within bounds. */
  append(kind: LogKind, lines: readonly string[]): number {
    if (lines.length === 0) {
      return 0
    }
    const insert = this.db.prepare('INSERT INTO log_buffer (kind, line, bytes) VALUES (?, ?, ?)')
    this.db.transaction(() => {
      for (const line of lines) {
        const size = Buffer.byteLength(line, 'utf8')
        insert.run(kind, line, size)
        this.lines++
        this.bytes += size
      }
    })()
    return this.purge()
  }

  /** Up to `limit` of the oldest lines, not removed until `ack`. */
  peek(limit: number): BufferedLine[] {
    const rows: unknown[] = this.db
      .prepare('SELECT id, kind, line FROM log_buffer ORDER BY id LIMIT ?')
      .all(Math.max(0, limit))
    const out: BufferedLine[] = []
    for (const row of rows) {
      if (isBufferedRow(row) && (row.kind === 'result' || row.kind === 'status')) {
        out.push({ id: row.id, kind: row.kind, line: row.line })
      }
    }
    return out
  }

  /** Removes delivered (or deliberately dropped) lines. */
  ack(ids: readonly number[]): void {
    if (ids.length === 0) {
      return
    }
    const select = this.db.prepare('SELECT bytes FROM log_buffer WHERE id = ?')
    const remove = this.db.prepare('DELETE FROM log_buffer WHERE id = ?')
    this.db.transaction(() => {
      for (const id of ids) {
        const row: unknown = select.get(id)
        if (typeof row === 'object' && row !== null && 'bytes' in row) {
          remove.run(id)
          this.lines--
          this.bytes -= Number(row.bytes)
        }
      }
    })()
  }

  /** Lines currently buffered. */
  size(): number {
    return this.lines
  }

  /** Bytes of log text currently buffered. */
  byteSize(): number {
    return this.bytes
  }

  private purge(): number {
    const { maxLines, maxBytes } = this.limits()
    const overLines = maxLines > 0 ? this.lines - maxLines : 0
    const overBytes = maxBytes > 0 ? this.bytes - maxBytes : 0
    if (overLines <= 0 && overBytes <= 0) {
      return 0
    }
    const page = this.db.prepare(
      'SELECT id, bytes FROM log_buffer WHERE id > ? ORDER BY id LIMIT 1000',
    )
    let purged = 0
    let freed = 0
    let lastId = -1
    const enough = (): boolean => purged >= overLines && freed >= overBytes
    // Walk the oldest rows page by page: the byte bound may need more rows than the line bound.
    while (!enough()) {
      const rows: unknown[] = page.all(lastId)
      if (rows.length === 0) {
        break
      }
      for (const row of rows) {
        if (enough()) {
          break
        }
        if (typeof row === 'object' && row !== null && 'id' in row && 'bytes' in row) {
          lastId = Number(row.id)
          freed += Number(row.bytes)
          purged++
        }
      }
    }
    if (lastId >= 0) {
      this.db.prepare('DELETE FROM log_buffer WHERE id <= ?').run(lastId)
      this.lines -= purged
      this.bytes -= freed
    }
    return purged
  }
}
