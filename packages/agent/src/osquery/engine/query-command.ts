import { randomUUID } from 'node:crypto'
import { Command } from 'commander'
import { OSQUERY_COMPAT_VERSION } from '../../version.js'
import { createEngine, type EngineOptions } from './create-engine.js'
import type { EngineContext } from './engine.js'
import { tableSchema } from './table-schema.js'

/** Where `fleetd query` writes; tests pass their own sinks. */
export interface QueryCommandIo {
  stdout(text: string): void
  stderr(text: string): void
}

const processIo: QueryCommandIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
}

/** The context of a one-off engine: no daemon, so no schedule, flags or node key. */
function oneOffContext(): EngineContext {
  return {
    startTime: Math.floor(Date.now() / 1000),
    instanceId: randomUUID(),
    version: OSQUERY_COMPAT_VERSION,
    flags: new Map(),
    schedule: () => [],
    configValid: () => false,
  }
}

/**
 * `fleetd query "<sql>"`: runs one query against this machine and prints the rows as a JSON
 * array, like `osqueryi --json`. `--list-tables` prints the table names. A failing query prints
 * `Error: <message>` on stderr and sets exit code 1. `--schema` prints every table with its columns as
 * JSON (what the web console's SQL editor completes from).
 */
export function queryCommand(io: QueryCommandIo = processIo, options: EngineOptions = {}): Command {
  return new Command('query')
    .description('Run osquery SQL against this machine and print the rows as JSON')
    .argument('[sql]', 'the SQL to run')
    .option('--list-tables', 'print the names of the tables the engine serves')
    .option('--schema', 'print every table the engine defines with its columns, as JSON')
    .action((sql: string | undefined, flags: { listTables?: boolean; schema?: boolean }) => {
      if (flags.schema) {
        io.stdout(`${JSON.stringify(tableSchema(), null, 2)}\n`)
        return
      }
      const engine = createEngine(oneOffContext(), {
        ...options,
        onWarning: (message) => io.stderr(`W ${message}\n`),
      })
      try {
        if (flags.listTables) {
          io.stdout(`${engine.tables().join('\n')}\n`)
          return
        }
        if (sql === undefined) {
          io.stderr('Error: missing SQL (fleetd query "SELECT …")\n')
          process.exitCode = 1
          return
        }
        const outcome = engine.query(sql)
        if (outcome.status !== 0) {
          io.stderr(`Error: ${outcome.error}\n`)
          process.exitCode = 1
          return
        }
        io.stdout(`${JSON.stringify(outcome.rows, null, 2)}\n`)
      } finally {
        engine.close()
      }
    })
}
