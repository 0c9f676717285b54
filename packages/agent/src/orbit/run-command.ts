import { Command, InvalidArgumentError } from 'commander'
import { join } from 'node:path'
import { createOrbitLog } from './orbit-log.js'
import { runOrbit } from './orbit.js'
import { defaultRootDir } from './root-dir.js'

function fleetUrl(value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InvalidArgumentError('not a URL')
  }
  if (url.protocol !== 'https:') {
    throw new InvalidArgumentError('must be an https:// URL (osquery talks TLS only)')
  }
  return url
}

function positiveSeconds(value: string): number {
  const seconds = Number(value)
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidArgumentError('must be a positive number of seconds')
  }
  return seconds
}

interface RunFlags {
  fleetUrl: URL
  enrollSecret?: string
  fleetCertificate?: string
  insecure: boolean
  rootDir: string
  osquerydPath?: string
  logFile?: string
  debug: boolean
  configInterval: number
  fleetDesktop: boolean
}

/**
 * `fleetd run`: orbit. Enrolls this machine into Fleet and keeps fleetd's osquery engine (or a
 * real osqueryd) running until SIGTERM/SIGINT.
 *
 * @example fleetd run --fleet-url https://fleet.example.com --enroll-secret "$SECRET"
 */
export function runCommand(): Command {
  return new Command('run')
    .description('enroll this host into Fleet and run the osquery engine (orbit)')
    .requiredOption('--fleet-url <url>', 'Fleet server URL (https://…)', fleetUrl)
    .option('--enroll-secret <secret>', 'enroll secret (or FLEETD_ENROLL_SECRET)')
    .option('--fleet-certificate <pem>', 'CA or self-signed certificate of the Fleet server')
    .option('--insecure', 'do not verify the Fleet server certificate', false)
    .option('--root-dir <dir>', 'where fleetd keeps its state', defaultRootDir())
    .option('--osqueryd-path <path>', 'supervise this osqueryd instead of fleetd’s own engine')
    .option('--log-file <file>', 'log file (default <root-dir>/orbit.log)')
    .option('--debug', 'verbose logs, and osquery --verbose --tls_dump', false)
    .option('--config-interval <s>', 'seconds between orbit config polls', positiveSeconds, 30)
    .option(
      '--fleet-desktop',
      "print this host's My device URL (again after each token rotation), as Fleet Desktop shows it",
      false,
    )
    .argument('[osqueryd-args...]', 'extra osqueryd flags, after --')
    .action(async (extra: string[], flags: RunFlags) => {
      process.exitCode = await runFromFlags(flags, extra)
    })
}

async function runFromFlags(flags: RunFlags, extra: string[]): Promise<number> {
  const secret = flags.enrollSecret ?? process.env.FLEETD_ENROLL_SECRET
  if (!secret) {
    process.stderr.write('fleetd run: --enroll-secret (or FLEETD_ENROLL_SECRET) is required\n')
    return 2
  }
  const log = createOrbitLog({
    file: flags.logFile ?? join(flags.rootDir, 'orbit.log'),
    debug: flags.debug,
  })
  const stop = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stop.signal.aborted) {
      log.warn(`second ${signal}; exiting now`)
      process.exit(1)
    }
    log.info(`${signal} received; shutting down`)
    stop.abort()
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
  try {
    return await runOrbit(
      {
        fleetUrl: flags.fleetUrl,
        enrollSecret: secret,
        fleetCertificate: flags.fleetCertificate,
        insecure: flags.insecure,
        rootDir: flags.rootDir,
        osquerydPath: flags.osquerydPath,
        debug: flags.debug,
        configIntervalMs: flags.configInterval * 1000,
        enrollRetryMs: Number(process.env.FLEETD_ENROLL_RETRY_INTERVAL ?? 10) * 1000,
        extra,
        ...(flags.fleetDesktop && { onMyDeviceUrl: printMyDeviceUrl() }),
      },
      log,
      stop.signal,
    )
  } catch (err) {
    log.error('fleetd failed', { error: err instanceof Error ? err.message : String(err) })
    return 1
  } finally {
    process.off('SIGTERM', onSignal)
    process.off('SIGINT', onSignal)
  }
}

/** `--fleet-desktop`: one line on stdout per My device URL, printed when it changes. */
function printMyDeviceUrl(): (url: string) => void {
  let last: string | undefined
  return (url) => {
    if (url !== last) {
      last = url
      process.stdout.write(`My device: ${url}\n`)
    }
  }
}
