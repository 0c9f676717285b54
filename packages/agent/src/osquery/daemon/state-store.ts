import Database from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import type { SplayMemory } from './scheduler.js'

/** The SQLite handle the daemon's stores share. */
export type StateDb = Database.Database

const SCHEMA = `
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS log_buffer (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  line TEXT NOT NULL,
  bytes INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS query_results (
  name TEXT PRIMARY KEY,
  query TEXT NOT NULL,
  epoch INTEGER NOT NULL,
  counter INTEGER NOT NULL,
  rows TEXT NOT NULL
);
`

const NODE_KEY_FILE = 'node_key'
const STATE_FILE = 'fleetd-state.sqlite'

/**
 * The daemon's persistent state under --database_path, which (as osquery's RocksDB) is a
 * directory: `node_key` (0600), and `fleetd-state.sqlite` (0600) holding settings, the log
 * buffer and each scheduled query's last results.
 */
export class StateStore {
  private constructor(
    readonly dir: string,
    readonly db: StateDb,
  ) {}

  /** Opens (creating as needed) the state under `dir`. */
  static open(dir: string): StateStore {
    if (existsSync(dir) && !statSync(dir).isDirectory()) {
      throw new Error(`database_path ${dir} exists and is not a directory`)
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const file = join(dir, STATE_FILE)
    const db = new Database(file)
    chmodSync(file, 0o600)
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.exec(SCHEMA)
    return new StateStore(dir, db)
  }

  /** A stored setting, or undefined. */
  getSetting(key: string): string | undefined {
    const row: unknown = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key)
    return isValueRow(row) ? row.value : undefined
  }

  /** Stores a setting, replacing any old value. */
  setSetting(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value)
  }

  /** The install's instance id (osquery_info.instance_id), created once and kept. */
  instanceId(): string {
    const existing = this.getSetting('instance_id')
    if (existing) {
      return existing
    }
    const id = randomUUID()
    this.setSetting('instance_id', id)
    return id
  }

  /** Each scheduled query's splayed interval, kept so a restart does not shift the schedule. */
  splayMemory(): SplayMemory {
    return {
      get: (name, interval) => {
        const [saved, splayed] = (this.getSetting(`splay.${name}`) ?? '').split(':').map(Number)
        return saved === interval && splayed !== undefined && splayed > 0 ? splayed : undefined
      },
      set: (name, interval, splayed) => this.setSetting(`splay.${name}`, `${interval}:${splayed}`),
    }
  }

  /** The node key from the last enrollment, or undefined. */
  readNodeKey(): string | undefined {
    try {
      const key = readFileSync(join(this.dir, NODE_KEY_FILE), 'utf8').trim()
      return key === '' ? undefined : key
    } catch {
      return undefined
    }
  }

  /** Stores the node key readable by the owner only, replacing any old one atomically. */
  writeNodeKey(key: string): void {
    const path = join(this.dir, NODE_KEY_FILE)
    const tmp = `${path}.tmp`
    writeFileSync(tmp, key, { mode: 0o600 })
    chmodSync(tmp, 0o600)
    renameSync(tmp, path)
  }

  /** Deletes the stored node key (re-enrollment). */
  clearNodeKey(): void {
    rmSync(join(this.dir, NODE_KEY_FILE), { force: true })
  }

  /** Closes the database (idempotent). */
  close(): void {
    if (this.db.open) {
      this.db.close()
    }
  }
}

function isValueRow(row: unknown): row is { value: string } {
  return typeof row === 'object' && row !== null && 'value' in row && typeof row.value === 'string'
}
