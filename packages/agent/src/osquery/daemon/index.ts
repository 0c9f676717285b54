import { Command } from 'commander'
import { readFileSync } from 'node:fs'
import { OSQUERY_COMPAT_VERSION } from '../../version.js'
import type { Engine, EngineContext } from '../engine/engine.js'
import { createEngine } from '../engine/index.js'
import { startDaemon, type RunningDaemon } from './daemon.js'
import { flagSpec, knownFlagNames } from './flag-defs.js'
import { FlagError, parseFlags, type ParsedFlags } from './flags.js'

export { startDaemon, type DaemonDeps, type DaemonStats, type RunningDaemon } from './daemon.js'
export { Flags, FlagError, parseFlags } from './flags.js'

/** What runOsqueryd needs from the process (injected by tests). */
export interface OsquerydIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: NodeJS.ProcessEnv
  readText: (path: string) => string
  createEngine: (context: EngineContext) => Engine | Promise<Engine>
  /** Subscribes to termination signals; returns an unsubscribe function. */
  onSignal: (handler: (signal: string) => void) => () => void
}

function usage(): string {
  const lines = ['Usage: fleetd osqueryd [--flag=value | --flag value | --flagfile <path>] ...', '']
  for (const name of knownFlagNames()) {
    const spec = flagSpec(name)
    if (spec) {
      lines.push(`  --${name} (${spec.type}, default "${spec.default}")`)
    }
  }
  return `${lines.join('\n')}\n`
}

/**
 * Runs osqueryd with osquery-style arguments until SIGTERM/SIGINT; resolves with the exit code
 * (0 after a clean stop, 1 on bad flags or a start-up failure).
 */
export async function runOsqueryd(argv: readonly string[], io: OsquerydIo): Promise<number> {
  let parsed: ParsedFlags
  try {
    parsed = parseFlags(argv, io.readText)
  } catch (err) {
    if (err instanceof FlagError) {
      io.stderr(`ERROR: ${err.message}\n`)
      return 1
    }
    throw err
  }
  const { flags } = parsed
  if (flags.bool('help')) {
    io.stdout(usage())
    return 0
  }
  if (flags.bool('version')) {
    io.stdout(`osqueryd version ${OSQUERY_COMPAT_VERSION}\n`)
    return 0
  }
  // Listen before starting: a SIGTERM during start-up must still stop the daemon.
  let daemon: RunningDaemon | undefined
  let signals = 0
  const unsubscribe = io.onSignal((signal) => {
    signals++
    io.stderr(`osqueryd: ${signal} received, shutting down\n`)
    if (signals > 1) {
      io.stderr('osqueryd: second signal, exiting without flushing\n')
      process.exit(1)
    }
    void daemon?.stop()
  })
  try {
    daemon = await startDaemon({
      flags,
      env: io.env,
      createEngine: io.createEngine,
      stderr: io.stderr,
      readText: io.readText,
    })
    if (signals > 0) {
      void daemon.stop()
    }
    return await daemon.done
  } catch (err) {
    io.stderr(`osqueryd: ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  } finally {
    unsubscribe()
  }
}

/** The process's own streams, environment and signals. */
function processIo(): OsquerydIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    readText: (path) => readFileSync(path, 'utf8'),
    createEngine: (context) => createEngine(context),
    onSignal: (handler) => {
      const listener = (signal: NodeJS.Signals): void => handler(signal)
      process.on('SIGTERM', listener)
      process.on('SIGINT', listener)
      return () => {
        process.off('SIGTERM', listener)
        process.off('SIGINT', listener)
      }
    },
  }
}

/**
 * `fleetd osqueryd`: fleetd's osquery daemon. Takes osqueryd's own flags (gflags style, see
 * `--help`), including every flag orbit passes, and speaks osquery's TLS remote API (enroll,
 * config, distributed, log) to the server.
 *
 * @example fleetd osqueryd --flagfile /opt/orbit/osquery.flags --tls_hostname fleet.example.com:443
 */
export function osquerydCommand(): Command {
  return new Command('osqueryd')
    .description("osquery-compatible daemon speaking osquery's TLS remote API (osqueryd flags)")
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[flags...]', 'osqueryd flags: --name=value, --name value, --flagfile <path>')
    .action(async (_flags: string[], _options: unknown, command: Command) => {
      process.exitCode = await runOsqueryd(command.args, processIo())
    })
}
