import type { Command } from 'commander'
import { z } from 'zod'
import { CliError, doing } from '../errors.js'
import { println, type Io } from '../io.js'
import { streamCampaign, type CampaignMessage } from '../live/campaign-stream.js'
import { savedQueryId, startCampaign } from '../live/targets.js'
import { optionsOf } from '../options.js'
import { renderTable } from '../render.js'
import { globalsOf, openClient, tlsSettings } from '../session.js'

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')

const QueryOptions = z.object({
  query: z.string().optional(),
  queryName: z.string().optional(),
  reportName: z.string().optional(),
  hosts: z.string().optional(),
  labels: z.string().optional(),
  teams: z.string().optional(),
  team: z.string().regex(/^\d+$/, 'must be a team id (0: global)').optional(),
  timeout: z.string().optional(),
  exit: z.boolean().optional(),
  quiet: z.boolean().optional(),
  pretty: z.boolean().optional(),
})

/** `30s`, `2m`, `1h` or plain seconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim())
  if (!match) {
    throw new CliError(`invalid --timeout "${text}" (use e.g. 30s, 2m)`)
  }
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1000
  return Number(match[1]) * unit
}

/**
 * The options with, for each one not given on the command line, the environment variable real
 * fleetctl reads for it: `HOSTS`, `LABELS`, `QUERY`, `QUERYNAME`, `TIMEOUT`, and `QUIET`, `EXIT`,
 * `PRETTY` (booleans, read as Go's ParseBool does).
 */
export function withEnvDefaults(opts: Options, env: Io['env']): Options {
  const text = (name: string) => (env[name] === '' ? undefined : env[name])
  const bool = (name: string) => {
    const value = text(name)
    return value === undefined ? undefined : parseBool(name, value)
  }
  return {
    ...opts,
    hosts: opts.hosts ?? text('HOSTS'),
    labels: opts.labels ?? text('LABELS'),
    query: opts.query ?? text('QUERY'),
    queryName: opts.queryName ?? opts.reportName ?? text('QUERYNAME'),
    timeout: opts.timeout ?? text('TIMEOUT'),
    quiet: opts.quiet ?? bool('QUIET'),
    exit: opts.exit ?? bool('EXIT'),
    pretty: opts.pretty ?? bool('PRETTY'),
  }
}

function parseBool(name: string, value: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) {
    return true
  }
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) {
    return false
  }
  throw new CliError(`invalid value "${value}" for ${name} (use true or false)`)
}

/**
 * `fleetctl query`: runs a live query on hosts, labels and teams and streams the results as JSON
 * lines (or a table with --pretty), with a progress line on stderr.
 */
export function registerQuery(program: Command, io: Io): void {
  program
    .command('query')
    .description(
      'Run a live query on hosts and print the results as they arrive (flags also read ' +
        'HOSTS, LABELS, QUERY, QUERYNAME, TIMEOUT, QUIET, EXIT, PRETTY from the environment)',
    )
    .option('--query <sql>', 'the SQL to run')
    .alias('report')
    .option('--query-name <name>', 'the saved query to run')
    .option('--report-name <name>', 'same as --query-name (Fleet now calls queries reports)')
    .option('--team <id>', 'the team of the saved query --query-name names (0: global)')
    .option('--hosts <list>', 'comma-separated hostnames, UUIDs or serials')
    .option('--labels <list>', 'comma-separated label names')
    .option('--teams <list>', 'comma-separated team names (or ids)')
    .option('--timeout <duration>', 'stop after this long (e.g. 30s, 2m)')
    .option('--exit', 'exit once every online targeted host has answered')
    .option('--quiet', 'no progress line')
    .option('--pretty', 'print a table at the end instead of JSON lines')
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = withEnvDefaults(optionsOf(QueryOptions, cmd), io.env)
      if ((opts.query === undefined) === (opts.queryName === undefined)) {
        throw new CliError('exactly one of --query and --query-name must be given')
      }
      const targets = {
        hosts: list(opts.hosts),
        labels: list(opts.labels),
        teams: list(opts.teams),
      }
      if (targets.hosts.length + targets.labels.length + targets.teams.length === 0) {
        throw new CliError('no targets: give --hosts, --labels or --teams')
      }
      const timeoutMs = opts.timeout === undefined ? undefined : parseDuration(opts.timeout)
      const globals = globalsOf(cmd, io)
      const client = await openClient(globals, { auth: true })
      try {
        const queryId =
          opts.queryName === undefined
            ? undefined
            : await savedQueryId(client, opts.queryName, Number(opts.team ?? 0))
        const campaign = await doing('could not start the live query', () =>
          startCampaign(client, { query: opts.query, queryId }, targets),
        )
        await streamResults(io, opts, timeoutMs, {
          address: client.address,
          token: client.token ?? '',
          campaignId: campaign.id,
          ...(await tlsSettings(globals)),
        })
      } finally {
        await client.close()
      }
    })
}

type Options = z.output<typeof QueryOptions>

/** Consumes the campaign's messages, printing results and progress, until done or timed out. */
async function streamResults(
  io: Io,
  opts: Options,
  timeoutMs: number | undefined,
  stream: Parameters<typeof streamCampaign>[0],
): Promise<void> {
  const progress = { total: 0, online: 0, responded: 0, expected: 0 }
  const rows: Record<string, unknown>[] = []
  const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs
  const messages = streamCampaign(stream)
  const showProgress = (final = false) => {
    if (opts.quiet) {
      return
    }
    const line = progressLine(progress)
    if (io.stderrIsTTY) {
      io.stderr.write(`\r\x1b[K${line}${final ? '\n' : ''}`)
    } else if (final) {
      println(io.stderr, line)
    }
  }
  for (;;) {
    const next = await nextBefore(messages, deadline)
    if (next === 'timeout') {
      showProgress(true)
      println(io.stderr, 'Timed out waiting for results.')
      break
    }
    if (next === 'closed') {
      showProgress(true)
      break
    }
    if (handle(next, io, opts, progress, rows)) {
      showProgress(true)
      break
    }
    showProgress()
  }
  await messages.return(undefined)
  if (opts.pretty && rows.length > 0) {
    const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))]
    io.stdout.write(
      renderTable(
        columns,
        rows.map((row) => columns.map((c) => String(row[c] ?? ''))),
      ),
    )
  }
}

/** Applies one message; true when the query is done (with --exit) or the server reported an error. */
function handle(
  message: CampaignMessage,
  io: Io,
  opts: Options,
  progress: { total: number; online: number; responded: number; expected: number },
  rows: Record<string, unknown>[],
): boolean {
  switch (message.type) {
    case 'totals':
      progress.total = message.data.count
      progress.online = message.data.online
      return false
    case 'status':
      progress.expected = message.data.expected_results
      progress.responded = message.data.actual_results
      return opts.exit === true && message.data.status === 'finished'
    case 'result': {
      const { host, error } = message.data
      if (error) {
        println(io.stderr, `${host.display_name || host.hostname}: error: ${error}`)
        return false
      }
      const hostRows = (message.data.rows ?? []).map((row) => ({
        ...row,
        host_hostname: host.hostname,
        host_display_name: host.display_name,
      }))
      if (opts.pretty) {
        rows.push(...hostRows)
      } else {
        println(io.stdout, JSON.stringify({ host: host.hostname, rows: hostRows }))
      }
      return false
    }
    case 'error':
      throw new CliError(`live query failed: ${String(message.data)}`)
  }
}

function progressLine(p: { total: number; online: number; responded: number }): string {
  const pct = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 100))
  return (
    `${pct(p.responded, p.total)}% responded (${pct(p.responded, p.online)}% online) | ` +
    `${p.responded}/${p.total} targeted hosts (${p.responded}/${p.online} online)`
  )
}

async function nextBefore(
  messages: AsyncGenerator<CampaignMessage>,
  deadline: number | undefined,
): Promise<CampaignMessage | 'timeout' | 'closed'> {
  const next = messages.next().then((r) => (r.done ? ('closed' as const) : r.value))
  if (deadline === undefined) {
    return next
  }
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()))
  })
  try {
    return await Promise.race([next, timeout])
  } finally {
    clearTimeout(timer)
  }
}
