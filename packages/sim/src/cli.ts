import { createWriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { finished } from 'node:stream/promises'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { z } from 'zod'
import { startAppleSide } from './apple/apple-cli.js'
import { createHostIdentity } from './host-identity.js'
import { parseOsTemplates, templateForHost, type SimulationInput } from './options.js'
import { formatJson, formatText } from './report.js'
import { createSimulation, type Simulation } from './simulation.js'
import type { StatsSnapshot } from './stats.js'

/** Where the CLI writes and how it learns it should stop (SIGINT/SIGTERM in a real process). */
export interface CliIo {
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
  /** Calls `handler` on the first stop request; returns a function that unsubscribes. */
  onStopRequest(handler: () => void): () => void
}

/** The parsed flags; commander has already converted the numbers. */
const CliFlags = z.object({
  serverUrl: z.string(),
  enrollSecret: z.string(),
  hostCount: z.number(),
  hostOffset: z.number(),
  osTemplates: z.string(),
  configInterval: z.number(),
  queryInterval: z.number(),
  loggerInterval: z.number(),
  startPeriod: z.number(),
  duration: z.number().optional(),
  insecure: z.boolean(),
  ca: z.string().optional(),
  connections: z.number(),
  seed: z.number().optional(),
  statsInterval: z.number().positive(),
  json: z.boolean(),
  fixturesDir: z.string().optional(),
  policyPassProb: z.number(),
  deliveredResults: z.string().optional(),
  appleDevices: z.number(),
  appleOffset: z.number(),
  apnsListen: z.number().optional(),
  apnsDir: z.string(),
  mdmCheckinInterval: z.number(),
  appleAnswerMode: z.string(),
  appleKeyPool: z.number().int().min(0),
  appleAsHosts: z.boolean(),
})
type CliFlags = z.infer<typeof CliFlags>

const NUMBER_KINDS = {
  int: { ok: (v: number) => Number.isInteger(v) && v >= 0, expected: 'a whole number' },
  seconds: { ok: (v: number) => v >= 0, expected: 'seconds (e.g. 10 or 0.5)' },
  interval: { ok: (v: number) => v > 0, expected: 'seconds above 0 (e.g. 10 or 0.5)' },
  probability: { ok: (v: number) => v >= 0 && v <= 1, expected: 'a probability between 0 and 1' },
}

function number(kind: keyof typeof NUMBER_KINDS) {
  return (text: string): number => {
    const value = Number(text)
    if (text.trim() === '' || !Number.isFinite(value) || !NUMBER_KINDS[kind].ok(value)) {
      throw new InvalidArgumentError(`expected ${NUMBER_KINDS[kind].expected}`)
    }
    return value
  }
}

/** The `fleet-sim` command line (parsing only; {@link runCli} runs it). */
export function buildProgram(io: CliIo): Command {
  const seconds = number('seconds')
  const interval = number('interval')
  return new Command('fleet-sim')
    .description('Simulate many osquery hosts against a Fleet server (like osquery-perf)')
    .requiredOption('--enroll-secret <secret>', 'enroll secret of the Fleet server')
    .option('--server-url <url>', 'Fleet server URL', 'https://localhost:8080')
    .option(
      '--host-count <n>',
      'osquery hosts to simulate (default 10, 0 with --apple-devices)',
      number('int'),
      10,
    )
    .option(
      '--host-offset <n>',
      'number of the first host: processes with offsets 0, N, 2N… and one seed simulate distinct hosts',
      number('int'),
      0,
    )
    .option(
      '--os-templates <list>',
      'templates and weights, e.g. ubuntu_22.04:3,windows_11:1',
      'ubuntu_22.04',
    )
    .option('--config-interval <s>', 'seconds between config requests', interval, 60)
    .option('--query-interval <s>', 'seconds between distributed reads', interval, 10)
    .option('--logger-interval <s>', 'seconds between log posts', interval, 10)
    .option('--start-period <s>', 'spread host starts over this many seconds', seconds, 10)
    .option(
      '--duration <s>',
      'stop after this many seconds (default: until SIGINT/SIGTERM)',
      seconds,
    )
    .option('--insecure', 'do not verify the server certificate', false)
    .option('--ca <pem-file>', 'trust the CA certificate(s) in this PEM file')
    .option('--connections <n>', 'keep-alive connections shared by all hosts', number('int'), 64)
    .option('--seed <n>', 'seed for per-host values (same seed, same hosts)', number('int'))
    .option('--stats-interval <s>', 'seconds between stats lines', interval, 10)
    .option('--json', 'print stats as JSON lines', false)
    .option(
      '--fixtures-dir <dir>',
      "directory of the osquery-perf templates (default: the package's templates/)",
    )
    .option(
      '--delivered-results <file>',
      'append every result log line the server acknowledged to this file (for fault tests)',
    )
    .addOption(
      new Option('--policy-pass-prob <p>', 'probability that a policy query passes')
        .argParser(number('probability'))
        .default(1),
    )
    .option('--apple-devices <n>', 'simulated Macs enrolled in Apple MDM', number('int'), 0)
    .option('--apple-offset <n>', 'number of the first simulated Mac', number('int'), 0)
    .option(
      '--apple-as-hosts',
      'Mac i has the hardware UUID and serial of osquery host i, so Fleet sees one host',
      false,
    )
    .option(
      '--apns-listen <port>',
      'run a fake APNs on this port (0: any) that wakes the Macs',
      number('int'),
    )
    .option(
      '--apns-dir <dir>',
      "the fake APNs' CA and push certificate, kept across runs",
      'fleet-sim-apns',
    )
    .option(
      '--mdm-checkin-interval <s>',
      "seconds between a Mac's own check-ins (0: only when pushed)",
      seconds,
      0,
    )
    .option(
      '--apple-answer-mode <list>',
      'shares of Macs that answer otherwise, e.g. busy:0.1,error:0.05 (busy, not-now, error, command-format-error, invalid-declarations)',
      '',
    )
    .option(
      '--apple-key-pool <n>',
      'Macs share this many key pairs, each with its own certificate (0: a key per Mac)',
      number('int'),
      0,
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run with --help for usage)')
}

/** Runs `fleet-sim` with `argv` (arguments after the program name); returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io)
  try {
    program.parse([...argv], { from: 'user' })
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode
    }
    throw err
  }
  try {
    const flags = CliFlags.parse(program.opts())
    if (flags.appleDevices > 0 && program.getOptionValueSource('hostCount') === 'default') {
      flags.hostCount = 0
    }
    return await simulate(flags, io)
  } catch (err) {
    const message =
      err instanceof z.ZodError
        ? z.prettifyError(err)
        : err instanceof Error
          ? err.message
          : String(err)
    io.stderr.write(`fleet-sim: ${message}\n`)
    return 1
  }
}

async function simulate(flags: CliFlags, io: CliIo): Promise<number> {
  const seed = flags.seed ?? Math.floor(Math.random() * 2 ** 31)
  const ca = flags.ca === undefined ? undefined : await readFile(flags.ca, 'utf8')
  const delivered =
    flags.deliveredResults === undefined
      ? undefined
      : createWriteStream(flags.deliveredResults, { flags: 'a' })
  const sim = flags.hostCount === 0 ? undefined : osquerySide(flags, io, seed, ca, delivered)
  const apple = await startAppleSide(flags, {
    serverUrl: flags.serverUrl,
    enrollSecret: flags.enrollSecret,
    seed,
    ca,
    connections: flags.connections,
    startPeriodMs: flags.startPeriod * 1000,
    ...(flags.appleAsHosts && { hardware: hostHardware(flags, seed) }),
    log: (line) => io.stderr.write(`fleet-sim: ${line}\n`),
  })
  const print = (snapshot: StatsSnapshot | undefined, total: boolean): void => {
    if (snapshot) {
      io.stdout.write(flags.json ? formatJson(snapshot) : formatText(snapshot))
    }
    io.stdout.write(apple.report(flags.json, total))
  }
  try {
    await sim?.start()
    const ticker = setInterval(() => print(sim?.intervalStats(), false), flags.statsInterval * 1000)
    await stopRequested(flags, io)
    clearInterval(ticker)
  } finally {
    const totals = await sim?.stop()
    await apple.stop()
    print(totals, true)
  }
  if (delivered) {
    await finished(delivered.end())
  }
  return 0
}

/** Resolves on SIGINT/SIGTERM or when `--duration` has passed. */
function stopRequested(flags: CliFlags, io: CliIo): Promise<void> {
  return new Promise<void>((resolve) => {
    const unsubscribe = io.onStopRequest(() => {
      clearTimeout(timer)
      resolve()
    })
    const timer =
      flags.duration === undefined
        ? undefined
        : setTimeout(() => {
            unsubscribe()
            resolve()
          }, flags.duration * 1000)
  })
}

function osquerySide(
  flags: CliFlags,
  io: CliIo,
  seed: number,
  ca: string | undefined,
  delivered: { write(text: string): unknown } | undefined,
): Simulation {
  const input: SimulationInput = {
    serverUrl: flags.serverUrl,
    enrollSecret: flags.enrollSecret,
    hostCount: flags.hostCount,
    hostOffset: flags.hostOffset,
    osTemplates: parseOsTemplates(flags.osTemplates),
    configIntervalMs: flags.configInterval * 1000,
    queryIntervalMs: flags.queryInterval * 1000,
    loggerIntervalMs: flags.loggerInterval * 1000,
    startPeriodMs: flags.startPeriod * 1000,
    insecure: flags.insecure,
    connections: flags.connections,
    policyPassProb: flags.policyPassProb,
    seed,
    ...(ca === undefined ? {} : { ca }),
    ...(flags.fixturesDir === undefined ? {} : { fixturesDir: flags.fixturesDir }),
  }
  let internalErrors = 0
  const sim = createSimulation(input, {
    ...(delivered && {
      onResultLinesDelivered: (lines) => delivered.write(`${lines.join('\n')}\n`),
    }),
    onInternalError: (err) => {
      if (internalErrors++ < 5) {
        io.stderr.write(
          `fleet-sim: internal error: ${err instanceof Error ? err.stack : String(err)}\n`,
        )
      }
    },
  })
  const templates = sim.config.osTemplates.map((t) => `${t.name}:${t.weight}`).join(',')
  io.stderr.write(
    `fleet-sim: ${sim.config.hostCount} hosts (${templates}) → ${sim.config.serverUrl}, seed ${sim.seed}\n`,
  )
  return sim
}

/** Mac `index` is osquery host `index` (same seed): its hardware UUID and serial, when simulated. */
function hostHardware(flags: CliFlags, seed: number) {
  const templates = parseOsTemplates(flags.osTemplates)
  return (index: number): { udid: string; serial: string } | undefined => {
    if (index < flags.hostOffset || index >= flags.hostOffset + flags.hostCount) {
      return undefined
    }
    const host = createHostIdentity(seed, index, templateForHost(index, templates), 0)
    return { udid: host.uuid, serial: host.serial }
  }
}
