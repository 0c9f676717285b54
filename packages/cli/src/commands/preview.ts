import { applyGlobalEnrollSecrets, getGlobalEnrollSecrets, login, setup } from '@fleet/api'
import { FleetApiError, FleetClient } from '@fleet/client'
import type { Command } from 'commander'
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { updateContext } from '../config-file.js'
import { CliError } from '../errors.js'
import { println, type Io } from '../io.js'
import { optionsOf } from '../options.js'
import { openConsole } from '../preview/open-console.js'
import { removePidFile, runningPreviewPid, stopPreview, writePidFile } from '../preview/pid-file.js'
import { findOnPath, startBackground, type Background } from '../preview/processes.js'
import { globalsOf } from '../session.js'
import { VERSION } from '../version.js'

/** The preview's fixed login, as in Fleet's `fleetctl preview`. */
export const PREVIEW_EMAIL = 'admin@example.com'
export const PREVIEW_PASSWORD = 'preview1337#'

const PreviewOptions = z.object({
  previewDataDir: z.string().optional(),
  port: z.coerce.number().int().min(0).max(65535),
  simHosts: z.coerce.number().int().min(0).max(100_000),
  enroll: z.boolean(),
  hosts: z.boolean(),
  open: z.boolean(),
})
const StopOptions = z.object({ previewDataDir: z.string().optional() })

/**
 * `fleetctl preview`: runs Fleet on this machine for a first look — `fleet serve` on embedded
 * SQLite, this machine enrolled with `fleetd run`, optionally simulated hosts — and configures
 * the `preview` context. Stops everything on Ctrl-C or `fleetctl preview stop`; `preview reset`
 * also deletes its data.
 */
export function registerPreview(program: Command, io: Io): void {
  const preview = program.command('preview')
  registerStopAndReset(preview, io)
  preview
    .description('Run Fleet locally, with this machine enrolled through fleetd (Ctrl-C stops)')
    .option(
      '--preview-data-dir <dir>',
      'where the preview keeps its data (default ~/.fleet/preview)',
    )
    .option('--port <port>', 'HTTPS port of the server', '8080')
    .option('--sim-hosts <n>', 'also simulate this many osquery hosts', '0')
    .option('--no-enroll', 'do not enroll this machine')
    .option('--no-hosts', 'start the server without adding any hosts (as Fleet: no enroll, no sim)')
    .option(
      '--no-open',
      'do not open the console in a browser (nor does FLEET_NO_OPEN, CI, BROWSER=none)',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const globals = globalsOf(cmd, io)
      const opts = optionsOf(PreviewOptions, cmd)
      if (!opts.hosts && opts.simHosts > 0) {
        throw new CliError('--no-hosts and --sim-hosts cannot be used together')
      }
      const dir = previewDir(opts, io)
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      const other = await runningPreviewPid(dir)
      if (other !== undefined) {
        throw new CliError(`a preview is already running on ${dir} (pid ${other})`, {
          hints: ['stop it with `fleetctl preview stop`'],
        })
      }
      await writePidFile(dir, process.pid)
      const path = io.env.PATH
      const running: Background[] = []
      try {
        println(io.stdout, `Starting the Fleet server (logs: ${join(dir, 'server.log')})…`)
        const server = startBackground(
          'fleet serve',
          findOnPath('fleet', path),
          ['serve', '--data-dir', join(dir, 'server'), '--server-address', `0.0.0.0:${opts.port}`],
          { logFile: join(dir, 'server.log'), env: io.env },
        )
        running.push(server)
        const [, port] = await server.waitFor(/listening on https:\/\/[^:\s]+:(\d+)/, 60_000)
        const url = `https://localhost:${port}`
        const cert = join(dir, 'server', 'tls', 'server.crt')
        const { token, secret } = await prepareServer(url, cert)
        await updateContext(globals.configPath, 'preview', {
          address: url,
          rootca: cert,
          email: PREVIEW_EMAIL,
          token,
        })
        if (opts.enroll && opts.hosts) {
          println(io.stdout, `Enrolling this machine (${hostname()}) with fleetd…`)
          running.push(
            startBackground(
              'fleetd run',
              findOnPath('fleetd', path),
              [
                'run',
                '--fleet-url',
                url,
                '--enroll-secret',
                secret,
                '--fleet-certificate',
                cert,
              ].concat(['--root-dir', join(dir, 'fleetd')]),
              { logFile: join(dir, 'fleetd.log'), env: io.env },
            ),
          )
        }
        if (opts.simHosts > 0) {
          println(io.stdout, `Starting ${opts.simHosts} simulated hosts…`)
          running.push(
            startBackground(
              'fleet-sim',
              findOnPath('fleet-sim', path),
              ['--server-url', url, '--enroll-secret', secret, '--ca', cert].concat([
                '--host-count',
                String(opts.simHosts),
                '--stats-interval',
                '60',
              ]),
              { logFile: join(dir, 'sim.log'), env: io.env },
            ),
          )
        }
        println(io.stdout, '')
        println(io.stdout, `Fleet preview is running at ${url}`)
        println(io.stdout, `  Log in: ${PREVIEW_EMAIL} / ${PREVIEW_PASSWORD}`)
        println(io.stdout, `  fleetctl is set up:   fleetctl --context preview get hosts`)
        println(io.stdout, `  Certificate:          ${cert}`)
        println(io.stdout, `  Data and logs:        ${dir}`)
        println(io.stdout, 'Press Ctrl-C to stop.')
        await openConsole(url, io, !opts.open)
        const signal = await (io.untilInterrupted?.() ?? untilProcessInterrupted())
        println(io.stdout, `\n${signal}: stopping the preview…`)
      } finally {
        for (const proc of running.reverse()) {
          await proc.stop()
        }
        await removePidFile(dir, process.pid)
      }
    })
}

function previewDir(opts: { previewDataDir?: string | undefined }, io: Io): string {
  return opts.previewDataDir ?? join(io.homeDir, '.fleet', 'preview')
}

/** `preview stop` and `preview reset`, as Fleet's (its preview runs detached; ours in a terminal). */
function registerStopAndReset(preview: Command, io: Io): void {
  // `preview`'s own --preview-data-dir is parsed wherever it appears, so the subcommands read it
  // from there.
  const dirOf = (cmd: Command) => previewDir(StopOptions.parse(cmd.optsWithGlobals()), io)
  preview
    .command('stop')
    .description('Stop the Fleet preview server and dependencies')
    .action(async (_opts: unknown, cmd: Command) => {
      const stopped = await stopPreview(dirOf(cmd))
      println(
        io.stdout,
        stopped
          ? 'Fleet preview server and dependencies stopped. Start again with fleetctl preview.'
          : 'No Fleet preview is running.',
      )
    })
  preview
    .command('reset')
    .description('Stop the Fleet preview and delete its data (server database, fleetd, logs)')
    .action(async (_opts: unknown, cmd: Command) => {
      const dir = dirOf(cmd)
      await stopPreview(dir)
      await rm(dir, { recursive: true, force: true })
      println(
        io.stdout,
        'Fleet preview server and dependencies reset. Start again with fleetctl preview.',
      )
    })
}

/** Sets up the first admin (or logs in as it) and makes sure a global enroll secret exists. */
async function prepareServer(
  url: string,
  cert: string,
): Promise<{ token: string; secret: string }> {
  const { readFile } = await import('node:fs/promises')
  const base = new FleetClient({
    address: url,
    rootCA: await readFile(cert, 'utf8'),
    userAgent: `fleetctl/${VERSION}`,
  })
  try {
    const token = await adminToken(base)
    const client = base.withToken(token)
    const existing = (await client.call(getGlobalEnrollSecrets)).spec.secrets[0]?.secret
    if (existing) {
      return { token, secret: existing }
    }
    const secret = randomBytes(18).toString('base64url')
    await client.call(applyGlobalEnrollSecrets, {
      query: { dry_run: 'false' },
      body: { spec: { secrets: [{ secret }] } },
    })
    return { token, secret }
  } finally {
    await base.close()
  }
}

async function adminToken(client: FleetClient): Promise<string> {
  try {
    const created = await client.call(setup, {
      body: {
        admin: { admin: true, email: PREVIEW_EMAIL, name: 'Admin', password: PREVIEW_PASSWORD },
        org_info: { org_name: 'Fleet preview' },
        server_url: client.address,
      },
    })
    return created.token
  } catch (err) {
    // Already set up by an earlier preview: log in with the preview's login.
    if (!(err instanceof FleetApiError)) {
      throw err
    }
  }
  const session = await client.call(login, {
    body: { email: PREVIEW_EMAIL, password: PREVIEW_PASSWORD },
  })
  return session.token
}

function untilProcessInterrupted(): Promise<string> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals) => {
      process.off('SIGINT', done)
      process.off('SIGTERM', done)
      resolve(signal)
    }
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
  })
}
