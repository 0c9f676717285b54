import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/**
 * Runs SQLite's WAL checkpoints on a worker thread with its own connection, so no request waits
 * for them. With SQLite's default, the commit that takes the WAL past 1,000 pages copies them into
 * the database file and fsyncs it inside the committing statement: on the event loop of an
 * embedded-SQLite server, a 200–300 ms stall for every request in flight, every few seconds at
 * 20,000 hosts. A PASSIVE checkpoint never blocks writers: they keep appending while it copies.
 */
export interface SqliteCheckpointer {
  /** Stops the worker (its connection closes with it). */
  stop(): Promise<void>
}

// CommonJS, evaluated in the worker: `require` resolves better-sqlite3 by the path given.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.sqliteModule)
const db = new Database(workerData.path)
db.pragma('busy_timeout = 1000')
const run = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) })
  }
}
const timer = setInterval(run, workerData.intervalMs)
parentPort.on('message', (message) => {
  if (message === 'checkpoint') {
    run()
    parentPort.postMessage({ checkpointed: true })
  } else if (message === 'stop') {
    clearInterval(timer)
    db.close()
    parentPort.close()
  }
})
`

/**
 * Starts checkpointing the WAL of the SQLite database at `path` every `intervalMs`. The caller's
 * own connections should set `wal_autocheckpoint = 0` (see `createKysely`).
 */
export function startSqliteCheckpointer(
  path: string,
  options: { intervalMs?: number; onError?: (message: string) => void } = {},
): SqliteCheckpointer & { checkpointNow(): Promise<void> } {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      path,
      intervalMs: options.intervalMs ?? 1_000,
      sqliteModule: createRequire(import.meta.url).resolve('better-sqlite3'),
    },
  })
  worker.unref()
  const waiting: (() => void)[] = []
  worker.on('message', (message: { error?: string; checkpointed?: boolean }) => {
    if (message.error !== undefined) {
      options.onError?.(message.error)
    }
    if (message.checkpointed) {
      waiting.shift()?.()
    }
  })
  worker.on('error', (err) => options.onError?.(err.message))
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  return {
    checkpointNow: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve)
        worker.postMessage('checkpoint')
      }),
    async stop() {
      worker.postMessage('stop')
      await exited
    },
  }
}
