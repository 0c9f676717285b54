import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { ROOT } from './processes.js'

/** What one `fleet-sim --json` interval line carries that the benchmark reads. */
export interface SimInterval {
  hosts: number
  enrolled: number
  windowS: number
  reenrolls: number
  queriesAnswered: number
  resultLinesDelivered: number
  all: {
    requests: number
    perSecond: number
    httpErrors: number
    networkErrors: number
    badResponses: number
    nodeInvalid: number
    p99Ms: number
  }
}

export interface SimProcess {
  child: ChildProcess
  /** Resolves with the process's next interval line. */
  nextInterval(): Promise<SimInterval>
  /** Stops the process; resolves with the run's totals (its summary line) if it printed one. */
  stop(): Promise<SimInterval | undefined>
}

function isStats(value: unknown, type: string): value is SimInterval & { type: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'type' in value &&
    value.type === type &&
    'all' in value
  )
}

/**
 * Starts `fleet-sim` as its own process (so its event loop and CPU are apart from the server's
 * and from the other simulator processes) printing JSON interval stats every `statsS` seconds.
 */
export function startSimProcess(options: {
  serverUrl: string
  enrollSecret: string
  caFile?: string
  hostCount: number
  hostOffset: number
  startPeriodS: number
  statsS: number
  seed: number
  osTemplates: string
  /** More `fleet-sim` flags, e.g. `['--config-interval', '10']`. */
  extraArgs?: string[]
}): SimProcess {
  const args = [
    'packages/sim/bin/fleet-sim.js',
    '--server-url',
    options.serverUrl,
    '--enroll-secret',
    options.enrollSecret,
    '--host-count',
    String(options.hostCount),
    '--host-offset',
    String(options.hostOffset),
    '--start-period',
    String(options.startPeriodS),
    '--stats-interval',
    String(options.statsS),
    '--seed',
    String(options.seed),
    '--os-templates',
    options.osTemplates,
    '--connections',
    '64',
    '--json',
    ...(options.caFile ? ['--ca', options.caFile] : []),
    ...(options.extraArgs ?? []),
  ]
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  const queued: SimInterval[] = []
  const waiting: ((interval: SimInterval) => void)[] = []
  let summary: SimInterval | undefined
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const lines = createInterface({ input: child.stdout ?? process.stdin })
  lines.on('line', (line) => {
    const parsed: unknown = JSON.parse(line)
    if (isStats(parsed, 'summary')) {
      summary = parsed
    }
    if (!isStats(parsed, 'interval')) {
      return
    }
    const resolve = waiting.shift()
    if (resolve) {
      resolve(parsed)
    } else {
      queued.push(parsed)
    }
  })
  const exited = new Promise<never>((_resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`fleet-sim exited with ${code}: ${stderr}`)))
  })
  exited.catch(() => undefined)
  return {
    child,
    nextInterval: () => {
      const ready = queued.shift()
      if (ready) {
        return Promise.resolve(ready)
      }
      return Promise.race([new Promise<SimInterval>((resolve) => waiting.push(resolve)), exited])
    },
    stop: () =>
      new Promise<SimInterval | undefined>((resolve) => {
        if (child.exitCode !== null) {
          resolve(summary)
          return
        }
        // 'close' (not 'exit'): the summary line is read once stdout has ended.
        child.once('close', () => resolve(summary))
        child.kill('SIGTERM')
      }),
  }
}
