import { ENDPOINTS, type EndpointStats, type StatsSnapshot } from './stats.js'

const COLUMNS = [
  ['endpoint', 18],
  ['req/s', 9],
  ['requests', 9],
  ['ok', 9],
  ['http_err', 9],
  ['net_err', 8],
  ['node_inv', 9],
  ['bad', 5],
  ['p50 ms', 9],
  ['p99 ms', 9],
  ['max ms', 9],
] as const

/** A human-readable block: a headline, then one row per endpoint and a total row. */
export function formatText(snapshot: StatsSnapshot): string {
  const title =
    snapshot.kind === 'interval'
      ? `[${snapshot.elapsedS.toFixed(1)}s]`
      : `summary after ${snapshot.elapsedS.toFixed(1)}s`
  const headline =
    `${title} enrolled ${snapshot.enrolled}/${snapshot.hosts}` +
    ` · re-enrolls ${snapshot.reenrolls}` +
    ` · queries answered ${snapshot.queriesAnswered}` +
    ` · logs dropped ${snapshot.logsDropped}` +
    (snapshot.internalErrors > 0 ? ` · INTERNAL ERRORS ${snapshot.internalErrors}` : '')
  const header = COLUMNS.map(([name, width], i) =>
    i === 0 ? name.padEnd(width) : name.padStart(width),
  )
  const rows = ENDPOINTS.map((e) => row(e, snapshot.endpoints[e]))
  const lastError = snapshot.lastError === undefined ? [] : [`last error: ${snapshot.lastError}`]
  return [headline, header.join(''), ...rows, row('all', snapshot.all), ...lastError, ''].join('\n')
}

function row(name: string, s: EndpointStats): string {
  const cells = [
    name,
    s.perSecond.toFixed(1),
    String(s.requests),
    String(s.ok),
    String(s.httpErrors),
    String(s.networkErrors),
    String(s.nodeInvalid),
    String(s.badResponses),
    s.p50Ms.toFixed(2),
    s.p99Ms.toFixed(2),
    s.maxMs.toFixed(2),
  ]
  return cells
    .map((cell, i) => {
      const width = COLUMNS[i]?.[1] ?? 9
      return i === 0 ? cell.padEnd(width) : cell.padStart(width)
    })
    .join('')
}

/** One JSON line: the snapshot with `type` (`interval` or `summary`) and rounded numbers. */
export function formatJson(snapshot: StatsSnapshot): string {
  const { kind, ...rest } = snapshot
  return `${JSON.stringify({ type: kind === 'interval' ? 'interval' : 'summary', ...rest }, round)}\n`
}

function round(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value)
    ? Math.round(value * 1000) / 1000
    : value
}
